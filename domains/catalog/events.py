from __future__ import annotations

import uuid

from domains.kernel.bus import Event


class CatalogItemAdded(Event, frozen=True, kw_only=True):
    name = "catalog.item_added"
    item_id: uuid.UUID
    kind: str


class CatalogItemChanged(Event, frozen=True, kw_only=True):
    name = "catalog.item_changed"
    item_id: uuid.UUID
    fields: list[str]


class CatalogItemRetired(Event, frozen=True, kw_only=True):
    name = "catalog.item_retired"
    item_id: uuid.UUID
