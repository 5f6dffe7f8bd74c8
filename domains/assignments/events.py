from __future__ import annotations

from domains.kernel.bus import Event


class AssignmentEvent(Event, frozen=True, kw_only=True):
    name = "assignment.event"
    group_id: str
    assignment_id: str
    staff_id: str
    staff_name: str
    role: str
    status: str


class StaffAssigned(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.proposed"


class AssignmentConfirmed(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.confirmed"


class AssignmentDeclined(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.declined"
