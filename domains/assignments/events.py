from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class AssignmentEvent(Event, frozen=True, kw_only=True):
    name = "assignment.event"
    group_id: uuid.UUID
    assignment_id: uuid.UUID
    staff_id: uuid.UUID
    staff_name: str
    role: str
    status: str


class StaffAssigned(AssignmentEvent, frozen=True, kw_only=True):
    """A request to a guide or driver: operations talk, for staff."""

    name = "assignment.proposed"
    visible_to = Audience.STAFF


class AssignmentConfirmed(AssignmentEvent, frozen=True, kw_only=True):
    """The group's team changed: travelers see their guide and driver too."""

    name = "assignment.confirmed"
    visible_to = Audience.EVERYONE


class AssignmentDeclined(AssignmentEvent, frozen=True, kw_only=True):
    name = "assignment.declined"
    visible_to = Audience.STAFF
