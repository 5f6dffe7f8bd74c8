"""What clients send to the catalog and what they get back."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

KINDS = ("tour", "activity", "restaurant", "hotel")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Kind = Literal["tour", "activity", "restaurant", "hotel"]
PricePer = Literal["person", "group"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HoursRange = Annotated[
    str,
    Meta(
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$",
        description='local "HH:MM-HH:MM"; an end before the start runs past midnight',
    ),
]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
City = Annotated[str, Meta(min_length=1, max_length=100)]
Word = Annotated[str, Meta(min_length=1, max_length=40)]
Tags = Annotated[list[Word], Meta(max_length=30)]
Diets = Annotated[list[Word], Meta(max_length=20)]
Hours = dict[Weekday, Annotated[list[HoursRange], Meta(max_length=4)]]
# A JSON number, never a string; the service keeps it as a Decimal rounded to cents.
Price = Annotated[float, Meta(ge=0, le=1_000_000, description="a JSON number, rounded to cents; 0 is free")]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$")]
GroupSize = Annotated[int, Meta(ge=1, le=10_000)]
MaxGroupSize = Annotated[int, Meta(ge=1, le=10_000, description="at least min_group_size (422 otherwise)")]
Until = Annotated[date, Meta(description="on or after available_from (422 otherwise)")]
Minutes = Annotated[int, Meta(gt=0, le=20_160)]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]
Address = Annotated[str, Meta(max_length=500)]
Description = Annotated[str, Meta(max_length=4000)]


class CatalogItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new catalog item. Rules across fields (422 when broken): `max_group_size` ≥ `min_group_size`,
    `available_until` ≥ `available_from`, `lat` and `lng` together or not at all."""

    kind: Kind
    name: Name
    city: City
    address: Address = ""
    lat: Latitude | None = None
    lng: Longitude | None = None
    description: Description = ""
    tags: Tags = []
    price: Price = 0
    currency: Currency = "EUR"
    price_per: PricePer = "person"
    min_group_size: GroupSize = 1
    max_group_size: MaxGroupSize | None = None
    dietary_options: Diets = []
    open_hours: Hours = {}
    available_from: date | None = None
    available_until: Until | None = None
    duration_minutes: Minutes | None = None


class CatalogItemUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields named change; `null` clears an optional one. The item after the change keeps the
    rules of a new one (422 when broken): `max_group_size` ≥ `min_group_size`, `available_until` ≥
    `available_from`, `lat` and `lng` together or not at all."""

    kind: Kind | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    city: City | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    lat: Latitude | UnsetType | None = UNSET
    lng: Longitude | UnsetType | None = UNSET
    description: Description | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    price: Price | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET
    price_per: PricePer | UnsetType = UNSET
    min_group_size: GroupSize | UnsetType = UNSET
    max_group_size: MaxGroupSize | UnsetType | None = UNSET
    dietary_options: Diets | UnsetType = UNSET
    open_hours: Hours | UnsetType = UNSET
    available_from: date | UnsetType | None = UNSET
    available_until: Until | UnsetType | None = UNSET
    duration_minutes: Minutes | UnsetType | None = UNSET


class CatalogItemOut(msgspec.Struct):
    id: str
    kind: str
    name: str
    city: str
    address: str
    lat: float | None
    lng: float | None
    description: str
    tags: list[str]
    price: float
    currency: str
    price_per: str
    min_group_size: int
    max_group_size: int | None
    dietary_options: list[str]
    open_hours: dict[str, list[str]]
    available_from: date | None
    available_until: date | None
    duration_minutes: int | None
    active: bool


class CatalogPage(msgspec.Struct):
    items: list[CatalogItemOut]
    total: int
    offset: int
    limit: int
