from __future__ import annotations

import uuid
from datetime import date

import msgspec

from domains.staff.schemas import StaffRole


class AssignmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    staff_id: uuid.UUID
    role: StaffRole
    start_date: date
    end_date: date
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
