"""Rows ↔ items, and the queries the service needs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.itineraries.ops import Items
from domains.itineraries.schemas import Item
from domains.models import Group, Itinerary, ItineraryItem, ItineraryOp

# item field -> row attribute, where they differ
COLUMNS = {"key": "position", "start": "start_time", "end": "end_time"}


def item_of(row: ItineraryItem) -> Item:
    return Item(
        id=str(row.id),
        day=row.day.isoformat(),
        key=row.position,
        kind=row.kind,
        title=row.title,
        start=row.start_time,
        end=row.end_time,
        place=dict(row.place) if row.place else None,
        notes=row.notes,
        status=row.status,
        voucher_id=str(row.voucher_id) if row.voucher_id else None,
        flight_id=str(row.flight_id) if row.flight_id else None,
        catalog_item_id=str(row.catalog_item_id) if row.catalog_item_id else None,
        staff_ids=list(row.staff_ids),
        removed=row.removed,
    )


def _column_values(item: Item) -> dict[str, Any]:
    values = {COLUMNS.get(name, name): value for name, value in msgspec.structs.asdict(item).items() if name != "id"}
    values["day"] = date.fromisoformat(item.day)
    for name in ("voucher_id", "flight_id", "catalog_item_id"):
        values[name] = uuid.UUID(getattr(item, name)) if getattr(item, name) else None
    return values


def write_items(
    session: AsyncSession, itinerary: Itinerary, rows: dict[str, ItineraryItem], items: Iterable[Item]
) -> None:
    """Bring the rows in line with these item states, adding rows for new items."""
    for item in items:
        values = _column_values(item)
        row = rows.get(item.id)
        if row is None:
            row = ItineraryItem(itinerary_id=itinerary.id, id=uuid.UUID(item.id), org_id=itinerary.org_id)
            session.add(row)
            rows[item.id] = row
        for name, value in values.items():
            if getattr(row, name, None) != value:
                setattr(row, name, value)


async def find_itinerary(session: AsyncSession, group_id: uuid.UUID, *, lock: bool = False) -> Itinerary | None:
    query = select(Itinerary).where(Itinerary.group_id == group_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def locked_itinerary(session: AsyncSession, group: Group) -> Itinerary:
    """The group's itinerary row, created on the first op, locked until commit (PostgreSQL: FOR UPDATE)."""
    itinerary = await find_itinerary(session, group.id, lock=True)
    if itinerary is not None:
        return itinerary
    try:
        async with session.begin_nested():
            itinerary = Itinerary(id=uuid.uuid4(), org_id=group.org_id, group_id=group.id)
            session.add(itinerary)
        return itinerary
    except IntegrityError:
        # Another first op created it at the same time; wait for its lock like any later op.
        found = await find_itinerary(session, group.id, lock=True)
        assert found is not None
        return found


async def load_rows(session: AsyncSession, itinerary: Itinerary) -> dict[str, ItineraryItem]:
    """Every item of the itinerary, tombstones included."""
    query = select(ItineraryItem).where(ItineraryItem.itinerary_id == itinerary.id)
    return {str(row.id): row for row in (await session.execute(query)).scalars().all()}


async def load_around(
    session: AsyncSession, itinerary: Itinerary, item_id: uuid.UUID, day: date | None
) -> dict[str, ItineraryItem]:
    """One item (live or removed), the live items of its current day and of `day`: what an op needs to be
    resolved, applied and checked for warnings, in one query."""
    in_scope = ItineraryItem.itinerary_id == itinerary.id
    its_day = select(ItineraryItem.day).where(in_scope, ItineraryItem.id == item_id).scalar_subquery()
    days = or_(ItineraryItem.day == its_day, ItineraryItem.day == day) if day else ItineraryItem.day == its_day
    query = select(ItineraryItem).where(
        in_scope, or_(ItineraryItem.id == item_id, and_(ItineraryItem.removed.is_(False), days))
    )
    return {str(row.id): row for row in (await session.execute(query)).scalars().all()}


def items_of(rows: dict[str, ItineraryItem]) -> Items:
    return {item_id: item_of(row) for item_id, row in rows.items()}


async def op_by_client_id(session: AsyncSession, itinerary: Itinerary, client_op_id: str) -> ItineraryOp | None:
    query = select(ItineraryOp).where(
        ItineraryOp.itinerary_id == itinerary.id, ItineraryOp.client_op_id == client_op_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def ops_until(session: AsyncSession, itinerary: Itinerary, seq: int) -> list[dict[str, Any]]:
    query = (
        select(ItineraryOp.op)
        .where(ItineraryOp.itinerary_id == itinerary.id, ItineraryOp.seq <= seq)
        .order_by(ItineraryOp.seq)
    )
    return list((await session.execute(query)).scalars().all())


async def op_page(
    session: AsyncSession, itinerary: Itinerary, before_seq: int | None, limit: int
) -> Sequence[ItineraryOp]:
    query = select(ItineraryOp).where(ItineraryOp.itinerary_id == itinerary.id)
    if before_seq is not None:
        query = query.where(ItineraryOp.seq < before_seq)
    return (await session.execute(query.order_by(ItineraryOp.seq.desc()).limit(limit))).scalars().all()
