"""Fetching one organization-scoped row by id, or NotFound."""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.db import ORG_SCOPE
from domains.kernel.errors import NotFound


class _Scoped(Protocol):
    org_id: Any


Row = TypeVar("Row", bound=_Scoped)


async def get_scoped(
    session: AsyncSession, model: type[Row], row_id: uuid.UUID, what: str, *, lock: bool = False
) -> Row:
    """The row, if it belongs to the unit of work's organization.

    `session.get` may answer from the identity map without a query, so the tenant check is repeated here.
    With `lock`, the row is read `FOR UPDATE` (PostgreSQL); SQLite already serializes writers.
    """
    row = await session.get(model, row_id, with_for_update=True if lock else None, populate_existing=lock)
    if row is None or row.org_id != session.info.get(ORG_SCOPE, row.org_id):
        raise NotFound(f"{what} not found")
    return row
