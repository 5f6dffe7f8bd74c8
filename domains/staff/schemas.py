from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

import msgspec

StaffRole = Literal["guide", "driver", "coordinator"]


class Certification(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    expires_on: date | None = None


class StaffCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    role: StaffRole
    languages: list[str] = []
    specializations: list[str] = []
    certifications: list[Certification] = []
    email: Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    preferred_contact: Literal["sms", "email", "phone"] = "sms"
    home_city: str | None = None
    rating: Annotated[float, msgspec.Meta(ge=0, le=5)] = 0.0
    user_id: uuid.UUID | None = None


class StaffOut(msgspec.Struct):
    id: str
    name: str
    role: str
    languages: list[str]
    specializations: list[str]
    certifications: list[Certification]
    email: str | None
    phone: str | None
    preferred_contact: str
    home_city: str | None
    rating: float
    user_id: str | None


class UnavailabilityCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Days a person cannot work. `end_date` must not be before `start_date` (422 otherwise)."""

    start_date: date
    end_date: Annotated[date, msgspec.Meta(description="on or after start_date (422 otherwise)")]
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class UnavailabilityOut(msgspec.Struct):
    id: str
    staff_id: str
    start_date: date
    end_date: date
    reason: str


class Suggestion(msgspec.Struct):
    staff: StaffOut
    score: float
    reasons: list[str]
