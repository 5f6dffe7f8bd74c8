from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class RoomingListUpdated(Event, frozen=True, kw_only=True):
    """Any change to a rooming list; `change` says which: created, details, rooms, imported."""

    name = "rooming_list.updated"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    rooming_list_id: uuid.UUID
    hotel_name: str
    change: str
