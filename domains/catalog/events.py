from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class CatalogItemAdded(Event, frozen=True, kw_only=True):
    name = "catalog.item_added"
    visible_to = Audience.STAFF
    item_id: uuid.UUID
    kind: str


class CatalogItemChanged(Event, frozen=True, kw_only=True):
    name = "catalog.item_changed"
    visible_to = Audience.STAFF
    item_id: uuid.UUID
    fields: list[str]


class CatalogItemRetired(Event, frozen=True, kw_only=True):
    name = "catalog.item_retired"
    visible_to = Audience.STAFF
    item_id: uuid.UUID
