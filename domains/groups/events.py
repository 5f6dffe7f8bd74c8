from __future__ import annotations

import uuid

from domains.kernel.bus import Event


class GroupCreated(Event, frozen=True, kw_only=True):
    name = "group.created"
    group_id: uuid.UUID
    number: str


class GroupUpdated(Event, frozen=True, kw_only=True):
    name = "group.updated"
    group_id: uuid.UUID
    fields: list[str]


class GroupStatusChanged(Event, frozen=True, kw_only=True):
    name = "group.status_changed"
    group_id: uuid.UUID
    from_status: str
    to_status: str


class ParticipantAdded(Event, frozen=True, kw_only=True):
    name = "participant.added"
    group_id: uuid.UUID
    participant_id: uuid.UUID


class TravelerNeedsRecorded(Event, frozen=True, kw_only=True):
    """A traveler told us (e.g. through the assistant) about a diet or a need for assistance."""

    name = "participant.needs_recorded"
    group_id: uuid.UUID
    participant_id: uuid.UUID
    participant_name: str
    dietary: list[str]
    special_needs: str
    added_dietary: list[str]
    added_special_needs: str
    source: str
