"""What clients send (ops, restore, settings) and what the REST API returns."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

KINDS = ("transfer", "visit", "meal", "hotel", "flight", "free", "note")
STATUSES = ("planned", "confirmed", "done", "cancelled")
Kind = Literal["transfer", "visit", "meal", "hotel", "flight", "free", "note"]
Status = Literal["planned", "confirmed", "done", "cancelled"]
LocalTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="local time, HH:MM")]
Title = Annotated[str, Meta(min_length=1, max_length=200)]
MAX_CLIENT_OP_ID = 64
ClientOpId = Annotated[str, Meta(min_length=1, max_length=MAX_CLIENT_OP_ID)]
MAX_STAFF = 20


class Place(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(max_length=200)] = ""
    address: Annotated[str, Meta(max_length=500)] = ""
    lat: Annotated[float, Meta(ge=-90, le=90)] | None = None
    lon: Annotated[float, Meta(ge=-180, le=180)] | None = None


class ItemFields(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The editable fields of an item; absent fields are left as they are."""

    title: Title | UnsetType = UNSET
    kind: Kind | UnsetType = UNSET
    start: LocalTime | UnsetType | None = UNSET
    end: LocalTime | UnsetType | None = UNSET
    place: Place | UnsetType | None = UNSET
    notes: Annotated[str, Meta(max_length=4000)] | UnsetType = UNSET
    status: Status | UnsetType = UNSET
    voucher_id: uuid.UUID | UnsetType | None = UNSET
    flight_id: uuid.UUID | UnsetType | None = UNSET
    catalog_item_id: uuid.UUID | UnsetType | None = UNSET
    staff_ids: Annotated[list[uuid.UUID], Meta(max_length=MAX_STAFF)] | UnsetType = UNSET


class AddItem(msgspec.Struct, tag="add_item", tag_field="type", forbid_unknown_fields=True):
    item_id: uuid.UUID
    day: date
    fields: ItemFields
    after: uuid.UUID | None = None


class SetFields(msgspec.Struct, tag="set_fields", tag_field="type", forbid_unknown_fields=True):
    item_id: uuid.UUID
    fields: ItemFields


class MoveItem(msgspec.Struct, tag="move_item", tag_field="type", forbid_unknown_fields=True):
    item_id: uuid.UUID
    day: date
    after: uuid.UUID | None = None


class RemoveItem(msgspec.Struct, tag="remove_item", tag_field="type", forbid_unknown_fields=True):
    item_id: uuid.UUID


# A seq as a client may send it: at most what the INTEGER seq columns hold.
Seq = Annotated[int, Meta(ge=0, le=2**31 - 1)]


class Restore(msgspec.Struct, tag="restore", tag_field="type", forbid_unknown_fields=True):
    seq: Seq


Op = AddItem | SetFields | MoveItem | RemoveItem | Restore


class RestoreRequest(msgspec.Struct, forbid_unknown_fields=True):
    seq: Seq
    client_op_id: ClientOpId | None = None


class ItinerarySettings(msgspec.Struct, forbid_unknown_fields=True):
    travel_speed_kmh: Annotated[float, Meta(gt=0, le=1000)]


class PlanWarning(msgspec.Struct):
    """Something worth a second look on a day (not an error): `overlap`, `tight_gap`, `outside_dates` or
    `too_long` (the group spans more days than the views list)."""

    code: str
    day: str
    item_ids: list[str]
    message: str


class Applied(msgspec.Struct):
    """The outcome of one op: its seq, whether it changed nothing (`dropped`), whether it was a resend."""

    seq: int
    dropped: bool = False
    duplicate: bool = False
    warnings: list[PlanWarning] = []


class ItemView(msgspec.Struct, kw_only=True):
    """An item as clients see it: JSON values throughout (ids and dates as strings), the same shape the
    resolved ops carry, so a client folds ops into what a snapshot gives it."""

    id: str
    day: str  # YYYY-MM-DD
    key: str  # its place in the day (fractional index, see ordering.py)
    kind: str = "note"
    title: str
    start: str | None = None
    end: str | None = None
    place: dict[str, Any] | None = None
    notes: str = ""
    status: str = "planned"
    voucher_id: str | None = None
    flight_id: str | None = None
    catalog_item_id: str | None = None  # items logged before catalog links existed have none
    staff_ids: list[str] = []


class Item(ItemView, kw_only=True):
    """An item as the server keeps it: a removed item stays as a tombstone, so its id is never reused."""

    removed: bool = False


class Day(msgspec.Struct):
    date: str
    items: list[ItemView]


class ItineraryOut(msgspec.Struct):
    group_id: str
    group_name: str
    seq: int
    timezone: str
    start_date: str
    end_date: str
    travel_speed_kmh: float
    days: list[Day]
    items: list[ItemView]
    warnings: list[PlanWarning]


class HistoryEntry(msgspec.Struct):
    seq: int
    at: str
    author: dict[str, str | None]
    client_op_id: str
    type: str
    item_id: str | None
    dropped: bool
    summary: str
    op: dict[str, Any]
