"""The catalog's verbs: add an item, change it, retire it. Each records one event for the recommender's index."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.catalog.dietary import canonical
from domains.catalog.events import CatalogItemAdded, CatalogItemChanged, CatalogItemRetired
from domains.catalog.schemas import WEEKDAYS, CatalogItemCreate, CatalogItemUpdate
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Conflict, Invalid
from domains.kernel.lookup import get_scoped
from domains.models import CatalogItem

MAX_PAGE = 200
MAX_PRICE = Decimal("1000000")
CENT = Decimal("0.01")


def _minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def clean_words(words: Sequence[str]) -> list[str]:
    """Lower-cased, trimmed, without repeats, in the given order."""
    return list(dict.fromkeys(" ".join(word.lower().split()) for word in words if word.strip()))


def check_hours(hours: dict[str, list[str]]) -> dict[str, list[str]]:
    """Ranges must be non-empty and end by 24:00; an end before the start runs past midnight."""
    for weekday, ranges in hours.items():
        for hours_range in ranges:
            start, end = (_minutes(part) for part in hours_range.split("-"))
            if end > 24 * 60:
                raise Invalid(f"open_hours.{weekday}: {hours_range} ends after 24:00")
            if start == end:
                raise Invalid(f"open_hours.{weekday}: {hours_range} is empty")
    return {day: list(hours[day]) for day in WEEKDAYS if day in hours}


def check_item(item: CatalogItem) -> None:
    if item.max_group_size is not None and item.max_group_size < item.min_group_size:
        raise Invalid("max_group_size must not be below min_group_size")
    if item.available_from and item.available_until and item.available_until < item.available_from:
        raise Invalid("available_until must not be before available_from")
    if not item.price.is_finite() or not Decimal(0) <= item.price <= MAX_PRICE:
        raise Invalid(f"price must be between 0 and {MAX_PRICE}")
    if (item.lat is None) != (item.lng is None):
        raise Invalid("give both lat and lng, or neither")


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("name", "city", "address", "description"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if "tags" in values:
        values["tags"] = clean_words(values["tags"])
    if "dietary_options" in values:
        values["dietary_options"] = clean_words([canonical(diet) for diet in values["dietary_options"]])
    if "price" in values:
        values["price"] = Decimal(str(values["price"])).quantize(CENT)
    if "open_hours" in values:
        values["open_hours"] = check_hours(values["open_hours"])
    if not values.get("name", "x") or not values.get("city", "x"):
        raise Invalid("name and city must not be blank")
    return values


class CatalogService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def get_item(self, item_id: uuid.UUID) -> CatalogItem:
        return await get_scoped(self.session, CatalogItem, item_id, "catalog item")

    async def list_items(
        self,
        *,
        kind: str | None = None,
        city: str | None = None,
        include_retired: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[Sequence[CatalogItem], int]:
        """One page of items ordered by city, kind and name, and how many match in all."""
        if offset < 0 or not 0 < limit <= MAX_PAGE:
            raise Invalid(f"offset must be ≥ 0 and limit between 1 and {MAX_PAGE}")
        query = select(CatalogItem)
        if kind is not None:
            query = query.where(CatalogItem.kind == kind)
        if city is not None:
            query = query.where(func.lower(CatalogItem.city) == city.strip().lower())
        if not include_retired:
            query = query.where(CatalogItem.active.is_(True))
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        page = query.order_by(CatalogItem.city, CatalogItem.kind, CatalogItem.name, CatalogItem.id)
        rows = (await self.session.execute(page.offset(offset).limit(limit))).scalars().all()
        return rows, int(total or 0)

    async def add_item(self, org_id: uuid.UUID, data: CatalogItemCreate) -> CatalogItem:
        values = _normalized(msgspec.structs.asdict(data))
        item = CatalogItem(id=uuid.uuid4(), org_id=org_id, active=True, updated_at=utcnow(), **values)
        check_item(item)
        self.session.add(item)
        await self.session.flush()
        self.bus.publish(CatalogItemAdded(org_id=org_id, item_id=item.id, kind=item.kind))
        return item

    async def update_item(self, item_id: uuid.UUID, data: CatalogItemUpdate) -> CatalogItem:
        item = await get_scoped(self.session, CatalogItem, item_id, "catalog item", lock=True)
        if not item.active:
            raise Conflict("the item is retired; add a new one instead")
        values = _normalized(_named_fields(data))
        changed = [name for name, value in values.items() if getattr(item, name) != value]
        for name in changed:
            setattr(item, name, values[name])
        check_item(item)
        if changed:
            item.updated_at = utcnow()
            self.bus.publish(CatalogItemChanged(org_id=item.org_id, item_id=item.id, fields=changed))
        return item

    async def retire_item(self, item_id: uuid.UUID) -> CatalogItem:
        """No longer offered: it leaves recommendations; itineraries that booked it keep their link."""
        item = await get_scoped(self.session, CatalogItem, item_id, "catalog item", lock=True)
        if not item.active:
            raise Conflict("the item is already retired")
        item.active, item.updated_at = False, utcnow()
        self.bus.publish(CatalogItemRetired(org_id=item.org_id, item_id=item.id))
        return item


def _named_fields(data: CatalogItemUpdate) -> dict[str, Any]:
    """The fields the client sent, with their typed values (dates and decimals as such, not strings)."""
    return {name: getattr(data, name) for name in data.__struct_fields__ if getattr(data, name) is not msgspec.UNSET}
