from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

HotelName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RoomLabel = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
RoomType = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Notes = Annotated[str, msgspec.Meta(max_length=1000)]


class RoomingListCreate(msgspec.Struct, forbid_unknown_fields=True):
    hotel_name: HotelName
    voucher_id: uuid.UUID | None = None
    not_staying: list[uuid.UUID] = []


class RoomingListUpdate(msgspec.Struct, forbid_unknown_fields=True):
    hotel_name: HotelName | UnsetType = UNSET
    voucher_id: uuid.UUID | UnsetType | None = UNSET
    not_staying: list[uuid.UUID] | UnsetType = UNSET


class RoomIn(msgspec.Struct, forbid_unknown_fields=True):
    """One room; without a `room` label it is called "Room <n>"."""

    room_type: RoomType
    occupants: list[uuid.UUID] = []
    notes: Notes = ""
    room: RoomLabel | None = None


class RoomOut(msgspec.Struct):
    id: str
    room: str
    room_type: str
    occupants: list[str]
    notes: str


class Problems(msgspec.Struct):
    """`missing`: participants with no room who are not marked not staying; `duplicates`: in two rooms;
    `unknown`: ids on the list that are not (or no longer) participants of the group."""

    missing: list[str]
    duplicates: list[str]
    unknown: list[str]


class RoomingListOut(msgspec.Struct):
    id: str
    group_id: str
    voucher_id: str | None
    hotel_name: str
    not_staying: list[str]
    rooms: list[RoomOut]
    problems: Problems
    complete: bool


class GuestChange(msgspec.Struct, omit_defaults=True):
    participant_id: str
    name: str
    room: str | None = None
    from_room: str | None = None


class ImportResult(msgspec.Struct):
    added: list[GuestChange]
    moved: list[GuestChange]
    removed: list[GuestChange]
    unchanged: int
    unknown_names: list[str]
    ambiguous_names: list[str]
    room_types_changed: list[str]
    matched_loosely: list[str]  # "Maria Slva → Maria Silva": typos forgiven, for a human to glance at
