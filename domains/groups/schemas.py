from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
StaffRole = Literal["guide", "driver", "coordinator"]


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    start_date: date
    end_date: date
    timezone: str = "UTC"
    cities: list[str] = []
    languages: list[str] = []
    notes: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class GroupOut(msgspec.Struct):
    id: str
    number: str
    name: str
    status: str
    start_date: date
    end_date: date
    timezone: str
    cities: list[str]
    languages: list[str]
    notes: str


class StaffCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    role: StaffRole
    languages: list[str] = []
    email: str | None = None
    phone: str | None = None
    home_city: str | None = None
    user_id: uuid.UUID | None = None


class StaffOut(msgspec.Struct):
    id: str
    name: str
    role: str
    languages: list[str]
    user_id: str | None


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
    role: str
    start_date: date
    end_date: date
    primary: bool
    status: str


class ParticipantCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    email: str | None = None
    phone: str | None = None
    user_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None


class ParticipantOut(msgspec.Struct):
    id: str
    group_id: str
    name: str
    booking_id: str | None
    user_id: str | None


class BookingCreate(msgspec.Struct, forbid_unknown_fields=True):
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class BookingOut(msgspec.Struct):
    id: str
    group_id: str
    reference: str
    status: str
