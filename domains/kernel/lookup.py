"""Fetching organization-scoped rows by id, or NotFound: the one check every id from outside goes through.

An id in a request body (a rooming list's voucher, an itinerary item's staff, a passenger's participant)
is a reference the caller chose: it must name a row of the caller's organization, and of the same group
where the row belongs to one. A row of another organization is "not found" (its existence is not
confirmed); a row of another group of the same organization is `Invalid`, naming the mix-up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.db import ORG_SCOPE
from domains.kernel.errors import Invalid, NotFound


class _Scoped(Protocol):
    org_id: Any


class _InGroup(_Scoped, Protocol):
    group_id: Any


Row = TypeVar("Row", bound=_Scoped)
GroupRow = TypeVar("GroupRow", bound=_InGroup)


async def get_scoped(
    session: AsyncSession,
    model: type[Row],
    row_id: uuid.UUID,
    what: str,
    *,
    lock: bool = False,
    org_id: uuid.UUID | None = None,
) -> Row:
    """The row, if it belongs to `org_id` (by default the unit of work's organization).

    `session.get` may answer from the identity map without a query, so the tenant check is repeated here.
    With `lock`, the row is read `FOR UPDATE` (PostgreSQL); SQLite already serializes writers.
    """
    row = await session.get(model, row_id, with_for_update=True if lock else None, populate_existing=lock)
    expected = org_id if org_id is not None else session.info.get(ORG_SCOPE)
    if row is None or (expected is not None and row.org_id != expected):
        raise NotFound(f"{what} not found")
    return row


async def get_in_group(
    session: AsyncSession, model: type[GroupRow], row_id: uuid.UUID, group_id: uuid.UUID, what: str
) -> GroupRow:
    """A referenced row that must belong to the group being changed (and so to its organization)."""
    row = await get_scoped(session, model, row_id, what)
    if row.group_id != group_id:
        raise Invalid(f"the {what} {row_id} belongs to another group")
    return row


async def get_all_scoped(
    session: AsyncSession, model: type[Row], row_ids: Iterable[uuid.UUID], what: str, *, org_id: uuid.UUID | None = None
) -> list[Row]:
    """Every referenced row, in the given order; NotFound names the first id that is not ours."""
    found = []
    for row_id in row_ids:
        try:
            found.append(await get_scoped(session, model, row_id, what, org_id=org_id))
        except NotFound:
            raise NotFound(f"{what} {row_id} not found") from None
    return found
