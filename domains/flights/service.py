"""Flights of a group, the participants on board, and the manifest the airport desk works from."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.flights.events import FlightAdded, FlightChanged, PassengerAdded
from domains.flights.schemas import FlightCreate, FlightUpdate, PassengerCreate
from domains.kernel.bus import EventBus
from domains.kernel.errors import Conflict, Invalid
from domains.kernel.lookup import get_in_group, get_scoped
from domains.kernel.rooms import RoomKey, group_audience
from domains.models import Flight, FlightPassenger, Group, Participant

# IATA airline designator: two letters/digits but not two digits ("AZ", "U2", "9W"), then 1-4 digits and
# an optional operational suffix letter.
FLIGHT_NUMBER = re.compile(r"^([A-Z][A-Z0-9]|[0-9][A-Z])([0-9]{1,4})([A-Z]?)$")
AIRPORT = re.compile(r"^[A-Z]{3}$")
SEAT = re.compile(r"^[0-9]{1,3}[A-Z]$")
BOOKING_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")
# The longest scheduled flights take ~19 h; anything far beyond is a date typo, not a flight.
MAX_DURATION = timedelta(hours=36)


def audience(group_id: uuid.UUID) -> tuple[RoomKey, ...]:
    return group_audience(group_id)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def normalize_flight_number(raw: str) -> str:
    """'az 611' → 'AZ611'; leading zeros go ('AZ0611' is the same flight)."""
    compact = re.sub(r"[\s\-]+", "", raw).upper()
    match = FLIGHT_NUMBER.match(compact)
    if match is None or int(match.group(2)) == 0:
        raise ValueError(
            f"{raw!r} is not a flight number: a 2-character airline code (letters or digits, not two digits), "
            "1-4 digits and an optional letter, e.g. AZ611"
        )
    return f"{match.group(1)}{int(match.group(2))}{match.group(3)}"


def _utc_instant(local: datetime, zone_name: str) -> datetime:
    """The absolute time of a wall-clock time in an IANA zone; refuses times a DST change skips."""
    zone = ZoneInfo(zone_name)
    if not 1970 <= local.year <= 2200:
        raise ValueError(f"{local.isoformat()} is not a plausible flight date")
    if local.tzinfo is not None:
        # An explicit offset is accepted only when it agrees with the zone, so nothing is silently shifted.
        if local.utcoffset() != local.astimezone(zone).utcoffset():
            raise ValueError(f"the offset does not match {zone_name}; send the local time without an offset")
        return local.astimezone(UTC)
    # In the hour the clocks go back, a wall time happens twice; fold=0 takes the first (summer time),
    # which is what airline schedules print.
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValueError(f"{local.isoformat()} does not exist in {zone_name} (the clocks skip it)")
    return aware.astimezone(UTC)


def local_time(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def _optional_code(value: str | None) -> str | None:
    return value.strip().upper() or None if value else None


def validated_columns(data: FlightCreate) -> dict[str, Any]:
    """Every rule at once, so the caller sees all the wrong fields in one 422."""
    errors: dict[str, str] = {}
    columns: dict[str, Any] = {"airline": data.airline.strip()}
    if not columns["airline"]:
        errors["airline"] = "must not be blank"
    try:
        columns["flight_number"] = normalize_flight_number(data.flight_number)
    except ValueError as exc:
        errors["flight_number"] = str(exc)
    for end in ("departure", "arrival"):
        code = getattr(data, f"{end}_airport").strip().upper()
        if AIRPORT.match(code):
            columns[f"{end}_airport"] = code
        else:
            errors[f"{end}_airport"] = f"{code!r} is not an IATA airport code (3 letters, e.g. FCO)"
        zone_name = getattr(data, f"{end}_timezone").strip()
        if zone_name not in _zone_names():
            errors[f"{end}_timezone"] = f"{zone_name!r} is not an IANA time zone (e.g. Europe/Rome)"
            continue
        columns[f"{end}_tz"] = zone_name
        try:
            columns[f"{end}_at"] = _utc_instant(getattr(data, f"{end}_local"), zone_name)
        except ValueError as exc:
            errors[f"{end}_local"] = str(exc)
    if columns.get("departure_airport") and columns.get("departure_airport") == columns.get("arrival_airport"):
        errors["arrival_airport"] = "must differ from the departure airport"
    if "departure_at" in columns and "arrival_at" in columns:
        if columns["arrival_at"] <= columns["departure_at"]:
            errors["arrival_local"] = "the flight must arrive after it departs (compared in absolute time)"
        elif columns["arrival_at"] - columns["departure_at"] > MAX_DURATION:
            errors["arrival_local"] = "no single flight lasts over 36 hours: check the dates"
    if errors:
        raise Invalid("; ".join(f"{field}: {message}" for field, message in errors.items()))
    for name in ("departure_terminal", "departure_gate", "arrival_terminal"):
        columns[name] = _optional_code(getattr(data, name))
    return columns


class FlightService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def _group(self, group_id: uuid.UUID) -> Group:
        return await get_scoped(self.session, Group, group_id, "group")

    async def get_flight(self, flight_id: uuid.UUID, *, lock: bool = False) -> Flight:
        return await get_scoped(self.session, Flight, flight_id, "flight", lock=lock)

    async def list_flights(self, group_id: uuid.UUID) -> Sequence[Flight]:
        await self._group(group_id)
        query = select(Flight).where(Flight.group_id == group_id).order_by(Flight.departure_at, Flight.flight_number)
        return (await self.session.execute(query)).scalars().all()

    async def add_flight(self, group_id: uuid.UUID, data: FlightCreate) -> Flight:
        group = await self._group(group_id)
        flight = Flight(id=uuid.uuid4(), org_id=group.org_id, group_id=group.id, **validated_columns(data))
        self.session.add(flight)
        await self.session.flush()
        self.bus.publish(
            FlightAdded(
                org_id=group.org_id,
                audience=audience(group.id),
                group_id=group.id,
                flight_id=flight.id,
                flight_number=flight.flight_number,
            )
        )
        return flight

    async def change_flight(self, flight_id: uuid.UUID, data: FlightUpdate) -> Flight:
        flight = await self.get_flight(flight_id, lock=True)
        current = FlightCreate(
            airline=flight.airline,
            flight_number=flight.flight_number,
            departure_airport=flight.departure_airport,
            arrival_airport=flight.arrival_airport,
            departure_local=local_time(flight.departure_at, flight.departure_tz),
            departure_timezone=flight.departure_tz,
            arrival_local=local_time(flight.arrival_at, flight.arrival_tz),
            arrival_timezone=flight.arrival_tz,
            departure_terminal=flight.departure_terminal,
            departure_gate=flight.departure_gate,
            arrival_terminal=flight.arrival_terminal,
        )
        sent = {name: value for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        columns = validated_columns(msgspec.structs.replace(current, **sent))
        changed = tuple(name for name, value in columns.items() if getattr(flight, name) != value)
        if not changed:
            return flight
        for name in changed:
            setattr(flight, name, columns[name])
        await self.session.flush()
        self.bus.publish(
            FlightChanged(
                org_id=flight.org_id,
                audience=audience(flight.group_id),
                group_id=flight.group_id,
                flight_id=flight.id,
                flight_number=flight.flight_number,
                changed=changed,
            )
        )
        return flight

    async def add_passenger(self, flight_id: uuid.UUID, data: PassengerCreate) -> FlightPassenger:
        # Locking the flight serializes boarding changes, so the checks below cannot race each other.
        flight = await self.get_flight(flight_id, lock=True)
        participant = await get_in_group(self.session, Participant, data.participant_id, flight.group_id, "participant")
        seat = _optional_code(data.seat)
        if seat is not None:
            seat = seat.replace(" ", "")
            if not SEAT.match(seat):
                raise Invalid(f"seat: {data.seat!r} is not a seat (row and letter, e.g. 12A)")
        reference = _optional_code(data.booking_reference)
        if reference is not None and not BOOKING_REFERENCE.match(reference):
            raise Invalid(f"booking_reference: {data.booking_reference!r} is not a booking reference (letters/digits)")
        on_board = (
            await self.session.execute(
                select(FlightPassenger, Participant.name)
                .join(Participant, Participant.id == FlightPassenger.participant_id)
                .where(FlightPassenger.flight_id == flight.id)
            )
        ).all()
        for passenger, name in on_board:
            if passenger.participant_id == participant.id:
                raise Conflict(f"{participant.name} is already a passenger on {flight.flight_number}")
            if seat is not None and passenger.seat == seat:
                raise Conflict(f"seat {seat} on {flight.flight_number} is already taken by {name}")
        passenger = FlightPassenger(
            id=uuid.uuid4(),
            org_id=flight.org_id,
            flight_id=flight.id,
            participant_id=participant.id,
            seat=seat,
            booking_reference=reference,
        )
        self.session.add(passenger)
        try:
            await self.session.flush()
        except IntegrityError:
            # Only reachable if the lock above is bypassed (another writer path); the constraint still holds.
            raise Conflict(f"{participant.name} or seat {seat} is already on {flight.flight_number}") from None
        self.bus.publish(
            PassengerAdded(
                org_id=flight.org_id,
                audience=audience(flight.group_id),
                group_id=flight.group_id,
                flight_id=flight.id,
                participant_id=participant.id,
            )
        )
        return passenger

    async def manifest(
        self, group_id: uuid.UUID
    ) -> tuple[list[tuple[Flight, list[tuple[FlightPassenger, Participant]]]], list[Participant]]:
        """Each flight in departure order with its passengers by name, and who has no flight at all."""
        flights = await self.list_flights(group_id)
        rows = (
            await self.session.execute(
                select(FlightPassenger, Participant)
                .join(Participant, Participant.id == FlightPassenger.participant_id)
                .where(FlightPassenger.flight_id.in_([flight.id for flight in flights]))
                .order_by(Participant.name, Participant.id)
            )
        ).all()
        by_flight: dict[uuid.UUID, list[tuple[FlightPassenger, Participant]]] = {flight.id: [] for flight in flights}
        for passenger, participant in rows:
            by_flight[passenger.flight_id].append((passenger, participant))
        flying = {participant.id for _, participant in rows}
        everyone = (
            await self.session.execute(
                select(Participant).where(Participant.group_id == group_id).order_by(Participant.name, Participant.id)
            )
        ).scalars()
        return [(flight, by_flight[flight.id]) for flight in flights], [p for p in everyone if p.id not in flying]


def duration(flight: Flight) -> timedelta:
    return flight.arrival_at - flight.departure_at
