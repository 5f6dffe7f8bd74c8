from __future__ import annotations

import uuid

from domains.kernel.bus import Event


class RoomingListUpdated(Event, frozen=True, kw_only=True):
    """Any change to a rooming list; `change` says which: created, details, rooms, imported."""

    name = "rooming_list.updated"
    group_id: uuid.UUID
    rooming_list_id: uuid.UUID
    hotel_name: str
    change: str
