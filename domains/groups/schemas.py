from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=1000)]
# What the travelers like ("wine", "street art"); the recommender reads them.
EndDate = Annotated[date, msgspec.Meta(description="on or after start_date (422 otherwise)")]
Interests = Annotated[list[Annotated[str, msgspec.Meta(min_length=1, max_length=60)]], msgspec.Meta(max_length=30)]


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new group. `end_date` must not be before `start_date` (422 otherwise)."""

    name: Name
    start_date: date
    end_date: EndDate
    timezone: str = "UTC"
    cities: list[str] = []
    languages: list[str] = []
    notes: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    interests: Interests = []


class GroupUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields named change. Status moves through `transition`, never here. After the change
    `end_date` must not be before `start_date` (422 otherwise)."""

    name: Name | UnsetType = UNSET
    start_date: date | UnsetType = UNSET
    end_date: EndDate | UnsetType = UNSET
    timezone: str | UnsetType = UNSET
    cities: list[str] | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET
    notes: Annotated[str, msgspec.Meta(max_length=4000)] | UnsetType = UNSET
    interests: Interests | UnsetType = UNSET


class GroupTransition(msgspec.Struct, forbid_unknown_fields=True):
    to: str


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
    interests: list[str]
    # The office's notes about the group: for staff only, left out of the answer for travelers.
    notes: str | UnsetType = UNSET


class ParticipantCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    email: Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    nationality: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2}$")] | None = None
    date_of_birth: date | None = None
    passport_number: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9]{5,20}$")] | None = None
    dietary: list[Annotated[str, msgspec.Meta(max_length=40)]] = []
    special_needs: Text = ""
    roommate_preference: Annotated[str, msgspec.Meta(max_length=200)] = ""
    user_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None


class ParticipantOut(msgspec.Struct):
    id: str
    group_id: str
    name: str
    email: str | None
    phone: str | None
    nationality: str | None
    date_of_birth: date | None
    passport_number: str | None  # masked except in the single-participant view for office staff
    dietary: list[str]
    special_needs: str
    roommate_preference: str
    booking_id: str | None
    user_id: str | None


class BookingCreate(msgspec.Struct, forbid_unknown_fields=True):
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class BookingOut(msgspec.Struct):
    id: str
    group_id: str
    reference: str
    status: str
