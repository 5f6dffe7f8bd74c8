"""Voucher inputs and outputs. Per-type fields are a msgspec tagged union on `type`.

The request body is flat (`{"type": "hotel", "partner_id": ..., "check_in": ...}`); the service splits it
into the common columns and a `details` struct, which is what the JSON column stores (tag included), and
every read converts the stored JSON back through the same union, so a bad row fails loudly, not silently.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Count = Annotated[int, msgspec.Meta(ge=0, le=10_000)]
PartnerKind = Literal["hotel", "restaurant", "attraction", "transport"]
VoucherType = Literal["hotel", "restaurant", "entrance"]
MealPlan = Literal["RO", "BB", "HB", "FB", "AI"]  # room only, bed & breakfast, half/full board, all inclusive
# Local wall-clock time at the venue, as people write it ("19:30").
LocalTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
MealType = Literal["breakfast", "lunch", "dinner", "snack"]


class PartnerCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: PartnerKind
    email: Annotated[str, msgspec.Meta(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=32, pattern=r"^\+?[0-9 ()-]{5,31}$")] | None = None
    city: Short | None = None
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    user_id: uuid.UUID | None = None


class PartnerOut(msgspec.Struct):
    id: str
    name: str
    kind: str
    email: str | None
    phone: str | None
    city: str | None
    address: str
    user_id: str | None


class RoomCount(msgspec.Struct, forbid_unknown_fields=True):
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]  # "double", "twin", "single"...
    count: Annotated[int, msgspec.Meta(ge=1, le=1000)]


# --- stored details: one struct per voucher type ---------------------------------------------------


class HotelDetails(msgspec.Struct, tag_field="type", tag="hotel", forbid_unknown_fields=True):
    check_in: dt.date
    check_out: dt.date
    rooms: Annotated[list[RoomCount], msgspec.Meta(min_length=1, max_length=50)]
    meal_plan: MealPlan = "BB"
    supplier_confirmation_code: Short | None = None
    rooming_list_id: uuid.UUID | None = None


class RestaurantDetails(msgspec.Struct, tag_field="type", tag="restaurant", forbid_unknown_fields=True):
    date: dt.date
    time: LocalTime
    meal_type: MealType
    guest_count: Annotated[int, msgspec.Meta(ge=1, le=10_000)]
    # {"vegetarian": 3, "gluten-free": 1}: computed from the participants when issued, never sent in.
    dietary_counts: dict[str, int] = {}
    table_preference: Text = ""
    menu: Text = ""


class EntranceDetails(msgspec.Struct, tag_field="type", tag="entrance", forbid_unknown_fields=True):
    attraction: Name
    date: dt.date
    adult_count: Count = 0
    child_count: Count = 0
    senior_count: Count = 0
    valid_until: dt.date | None = None
    included_services: Annotated[list[Short], msgspec.Meta(max_length=50)] = []


VoucherDetails = HotelDetails | RestaurantDetails | EntranceDetails


# --- requests: the details plus the common fields, flat --------------------------------------------


class HotelVoucherCreate(HotelDetails, tag="hotel", forbid_unknown_fields=True):
    partner_id: uuid.UUID | None = None
    notes: Text = ""


class RestaurantVoucherCreate(msgspec.Struct, tag_field="type", tag="restaurant", forbid_unknown_fields=True):
    # Not a subclass of RestaurantDetails: `dietary_counts` is computed, so a client may not send it.
    date: dt.date
    time: LocalTime
    meal_type: MealType
    guest_count: Annotated[int, msgspec.Meta(ge=1, le=10_000)] | None = None  # default: the group's size
    table_preference: Text = ""
    menu: Text = ""
    partner_id: uuid.UUID | None = None
    notes: Text = ""


class EntranceVoucherCreate(EntranceDetails, tag="entrance", forbid_unknown_fields=True):
    partner_id: uuid.UUID | None = None
    notes: Text = ""


VoucherCreate = HotelVoucherCreate | RestaurantVoucherCreate | EntranceVoucherCreate
VoucherStatus = Literal["created", "confirmed", "distributed", "validated", "redeemed", "archived", "cancelled"]


class VoucherTransitionRequest(msgspec.Struct, forbid_unknown_fields=True):
    to: VoucherStatus


class VoucherValidation(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    redeem: bool = False


class ActorOut(msgspec.Struct):
    id: str
    name: str


class TransitionOut(msgspec.Struct):
    from_status: str | None = msgspec.field(name="from")
    to: str
    at: dt.datetime
    by: ActorOut | None


class VoucherOut(msgspec.Struct):
    id: str
    number: str
    status: str
    code: str
    type: str
    group_id: str
    partner_id: str | None
    service_date: dt.date
    details: VoucherDetails  # carries its `type` tag
    notes: str
    created_at: dt.datetime
    transitions: list[TransitionOut] | None = None  # only on the single-voucher read


class ValidationOut(msgspec.Struct):
    valid: bool
    voucher: VoucherOut
