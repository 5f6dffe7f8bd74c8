from __future__ import annotations

import uuid

from domains.kernel.bus import Event


class AssignmentEvent(Event, frozen=True, kw_only=True):
    name = "assignment.event"
    group_id: uuid.UUID
    assignment_id: uuid.UUID
    staff_id: uuid.UUID
    staff_name: str
    role: str
    status: str


class StaffAssigned(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.proposed"


class AssignmentConfirmed(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.confirmed"


class AssignmentDeclined(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.declined"
