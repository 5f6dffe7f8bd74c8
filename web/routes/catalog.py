"""`/api/v1/catalog`: the organization's tours, activities, restaurants and hotels.

Staff read; office roles (admin, dispatcher, coordinator) add, change and retire. Retiring keeps the row,
so itineraries that booked the item keep their link; it only leaves the listing and recommendations.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domains.catalog.schemas import CatalogItemCreate, CatalogItemOut, CatalogItemUpdate, CatalogPage, Kind
from domains.catalog.service import MAX_PAGE
from domains.models import CatalogItem
from web.deps import IdentityDep, ServicesDep
from web.guards import OFFICE, STAFF

ItemId = FromPath[uuid.UUID]
# Past any real catalog; also keeps the offset inside a 64-bit database integer.
MAX_OFFSET = 1_000_000


def catalog_item_out(item: CatalogItem) -> CatalogItemOut:
    return CatalogItemOut(
        id=str(item.id),
        kind=item.kind,
        name=item.name,
        city=item.city,
        address=item.address,
        lat=item.lat,
        lng=item.lng,
        description=item.description,
        tags=list(item.tags),
        price=float(item.price),
        currency=item.currency,
        price_per=item.price_per,
        min_group_size=item.min_group_size,
        max_group_size=item.max_group_size,
        dietary_options=list(item.dietary_options),
        open_hours=dict(item.open_hours),
        available_from=item.available_from,
        available_until=item.available_until,
        duration_minutes=item.duration_minutes,
        active=item.active,
    )


class CatalogController(Controller):
    path = "/catalog"
    tags = ["catalog"]

    @get("/", guards=[STAFF])
    async def list_items(
        self,
        services: ServicesDep,
        kind: FromQuery[Kind | None] = None,
        city: Annotated[str | None, QueryParameter(name="city", max_length=100)] = None,
        include_retired: FromQuery[bool] = False,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_PAGE)] = 50,
    ) -> CatalogPage:
        """Items by city, kind and name; filter by `kind` and `city` (any case); page with offset/limit."""
        rows, total = await services.catalog.list_items(
            kind=kind, city=city, include_retired=include_retired, offset=offset, limit=limit
        )
        return CatalogPage(items=[catalog_item_out(row) for row in rows], total=total, offset=offset, limit=limit)

    @get("/{item_id:uuid}", guards=[STAFF])
    async def get_item(self, item_id: ItemId, services: ServicesDep) -> CatalogItemOut:
        return catalog_item_out(await services.catalog.get_item(item_id))

    @post("/", guards=[OFFICE])
    async def add_item(
        self, data: JSONBody[CatalogItemCreate], identity: IdentityDep, services: ServicesDep
    ) -> CatalogItemOut:
        return catalog_item_out(await services.catalog.add_item(identity.principal.org_id, data))

    @patch("/{item_id:uuid}", guards=[OFFICE])
    async def update_item(
        self, item_id: ItemId, data: JSONBody[CatalogItemUpdate], services: ServicesDep
    ) -> CatalogItemOut:
        """Change the named fields; 409 for a retired item."""
        return catalog_item_out(await services.catalog.update_item(item_id, data))

    @delete("/{item_id:uuid}", guards=[OFFICE])
    async def retire_item(self, item_id: ItemId, services: ServicesDep) -> None:
        """Retire the item (204); 409 when it is already retired."""
        await services.catalog.retire_item(item_id)
