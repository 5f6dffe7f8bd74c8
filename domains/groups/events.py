from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class GroupCreated(Event, frozen=True, kw_only=True):
    name = "group.created"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    number: str


class GroupUpdated(Event, frozen=True, kw_only=True):
    name = "group.updated"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    fields: list[str]


class GroupStatusChanged(Event, frozen=True, kw_only=True):
    name = "group.status_changed"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    from_status: str
    to_status: str


class ParticipantAdded(Event, frozen=True, kw_only=True):
    name = "participant.added"
    visible_to = Audience.EVERYONE
    group_id: uuid.UUID
    participant_id: uuid.UUID


class TravelerNeedsRecorded(Event, frozen=True, kw_only=True):
    """A traveler told us (e.g. through the assistant) about a diet or a need for assistance: health and diet
    are for the group's staff and that traveler (`user_room`), never for the other travelers."""

    name = "participant.needs_recorded"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    participant_id: uuid.UUID
    participant_name: str
    dietary: list[str]
    special_needs: str
    added_dietary: list[str]
    added_special_needs: str
    source: str
