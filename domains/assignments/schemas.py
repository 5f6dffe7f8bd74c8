from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import msgspec

from domains.staff.schemas import StaffRole


class AssignmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A person proposed for the group. `end_date` must not be before `start_date` (422 otherwise); a clash
    with another assignment or an unavailability is a 409 that names it."""

    staff_id: uuid.UUID
    role: StaffRole
    start_date: date
    end_date: Annotated[date, msgspec.Meta(description="on or after start_date (422 otherwise)")]
    primary: bool = True


class AssignmentOut(msgspec.Struct):
    id: str
    group_id: str
    staff_id: str
    staff_name: str
    role: str
    start_date: date
    end_date: date
    primary: bool
    status: str
