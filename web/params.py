"""The one bound every integer query parameter shares (offsets, limits, seqs).

Non-negative and at most what an INTEGER column holds (PostgreSQL's is 32-bit, and seqs are INTEGER), so
`?offset=615673132830601117696` is a 400 naming the parameter instead of an overflow in the database
driver. Routes and services check their own narrower rules (a page's size) on top, with a message.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

MAX_QUERY_INT = 2**31 - 1

QueryInt = Annotated[int, QueryParameter(ge=0, le=MAX_QUERY_INT)]
OptionalQueryInt = Annotated[int | None, QueryParameter(ge=0, le=MAX_QUERY_INT)]
