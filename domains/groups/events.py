from __future__ import annotations

from domains.kernel.bus import Event


class GroupCreated(Event, frozen=True, kw_only=True):
    name = "group.created"
    group_id: str
    number: str


class GroupUpdated(Event, frozen=True, kw_only=True):
    name = "group.updated"
    group_id: str
    fields: list[str]


class GroupStatusChanged(Event, frozen=True, kw_only=True):
    name = "group.status_changed"
    group_id: str
    from_status: str
    to_status: str


class ParticipantAdded(Event, frozen=True, kw_only=True):
    name = "participant.added"
    group_id: str
    participant_id: str


class TravelerNeedsRecorded(Event, frozen=True, kw_only=True):
    """A traveler told us (e.g. through the assistant) about a diet or a need for assistance."""

    name = "participant.needs_recorded"
    group_id: str
    participant_id: str
    participant_name: str
    dietary: list[str]
    special_needs: str
    added_dietary: list[str]
    added_special_needs: str
    source: str
