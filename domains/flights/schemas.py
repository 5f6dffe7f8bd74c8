from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

Short = Annotated[str, msgspec.Meta(max_length=16)]


class FlightCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Times are the local wall-clock times printed on the ticket, each with its airport's IANA zone."""

    airline: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    flight_number: Annotated[str, msgspec.Meta(max_length=16)]
    departure_airport: Annotated[str, msgspec.Meta(max_length=8)]
    arrival_airport: Annotated[str, msgspec.Meta(max_length=8)]
    departure_local: datetime
    departure_timezone: Annotated[str, msgspec.Meta(max_length=64)]
    arrival_local: datetime
    arrival_timezone: Annotated[str, msgspec.Meta(max_length=64)]
    departure_terminal: Short | None = None
    departure_gate: Short | None = None
    arrival_terminal: Short | None = None


class FlightUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A schedule change or a gate announcement: only the fields sent change (null clears terminal/gate)."""

    airline: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    flight_number: Annotated[str, msgspec.Meta(max_length=16)] | UnsetType = UNSET
    departure_airport: Annotated[str, msgspec.Meta(max_length=8)] | UnsetType = UNSET
    arrival_airport: Annotated[str, msgspec.Meta(max_length=8)] | UnsetType = UNSET
    departure_local: datetime | UnsetType = UNSET
    departure_timezone: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType = UNSET
    arrival_local: datetime | UnsetType = UNSET
    arrival_timezone: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType = UNSET
    departure_terminal: Short | UnsetType | None = UNSET
    departure_gate: Short | UnsetType | None = UNSET
    arrival_terminal: Short | UnsetType | None = UNSET


class FlightOut(msgspec.Struct):
    id: str
    group_id: str
    airline: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure_local: str  # wall-clock time at the departure airport, no offset: "2027-04-10T07:15:00"
    departure_timezone: str
    departure_utc: datetime
    arrival_local: str
    arrival_timezone: str
    arrival_utc: datetime
    duration_minutes: int
    departure_terminal: str | None
    departure_gate: str | None
    arrival_terminal: str | None


class PassengerCreate(msgspec.Struct, forbid_unknown_fields=True):
    participant_id: uuid.UUID
    seat: Annotated[str, msgspec.Meta(max_length=8)] | None = None
    booking_reference: Annotated[str, msgspec.Meta(max_length=16)] | None = None


class PassengerOut(msgspec.Struct):
    id: str
    flight_id: str
    participant_id: str
    seat: str | None
    booking_reference: str | None


class ManifestPerson(msgspec.Struct):
    participant_id: str
    name: str
    passport: str | None  # masked: "•••••1234"
    dietary: list[str]
    special_needs: str
    seat: str | None = None
    booking_reference: str | None = None


class ManifestFlight(msgspec.Struct):
    flight: FlightOut
    passengers: list[ManifestPerson]


class Manifest(msgspec.Struct):
    group_id: str
    flights: list[ManifestFlight]
    without_flight: list[ManifestPerson]
