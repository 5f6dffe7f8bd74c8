from __future__ import annotations

from domains.kernel.bus import Event


class CatalogItemAdded(Event, frozen=True, kw_only=True):
    name = "catalog.item_added"
    item_id: str
    kind: str


class CatalogItemChanged(Event, frozen=True, kw_only=True):
    name = "catalog.item_changed"
    item_id: str
    fields: list[str]


class CatalogItemRetired(Event, frozen=True, kw_only=True):
    name = "catalog.item_retired"
    item_id: str
