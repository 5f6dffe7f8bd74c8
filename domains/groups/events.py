from __future__ import annotations

from hub.bus import Event


class GroupCreated(Event, frozen=True, kw_only=True):
    name = "group.created"
    group_id: str
    number: str


class StaffAssigned(Event, frozen=True, kw_only=True):
    name = "assignment.created"
    group_id: str
    assignment_id: str
    staff_id: str
    role: str


class ParticipantAdded(Event, frozen=True, kw_only=True):
    name = "participant.added"
    group_id: str
    participant_id: str
