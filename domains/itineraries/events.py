"""Itinerary events: the room hears every applied op; the dispatch board hears that the plan changed."""

from __future__ import annotations

import uuid

from domains.conversations.events import RoomEventRecorded
from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class ItineraryApplied(RoomEventRecorded, frozen=True, kw_only=True):
    """One op applied, with the group room's seq; on the wire `itinerary:applied` {room, seq, op, author, ...}."""

    name = "itinerary.applied"
    visible_to = Audience.EVERYONE


class ItineraryChanged(Event, frozen=True, kw_only=True):
    """For the board (`board:update`): which group's plan changed, by what kind of op."""

    name = "itinerary.changed"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    seq: int
    op: str
    item_id: str | None  # the op's item id as the op carries it (JSON)
    dropped: bool
