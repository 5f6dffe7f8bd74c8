"""Flights of a group, passengers on them, and the group's manifest (passports masked)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody

from domains.flights.schemas import (
    FlightCreate,
    FlightOut,
    FlightUpdate,
    Manifest,
    ManifestFlight,
    ManifestPerson,
    PassengerCreate,
    PassengerOut,
)
from domains.flights.service import duration, local_time
from domains.groups.people import mask_passport
from domains.models import Flight, FlightPassenger, Participant
from web.deps import ServicesDep
from web.guards import OFFICE


def flight_out(flight: Flight) -> FlightOut:
    return FlightOut(
        id=str(flight.id),
        group_id=str(flight.group_id),
        airline=flight.airline,
        flight_number=flight.flight_number,
        departure_airport=flight.departure_airport,
        arrival_airport=flight.arrival_airport,
        departure_local=local_time(flight.departure_at, flight.departure_tz).isoformat(),
        departure_timezone=flight.departure_tz,
        departure_utc=flight.departure_at,
        arrival_local=local_time(flight.arrival_at, flight.arrival_tz).isoformat(),
        arrival_timezone=flight.arrival_tz,
        arrival_utc=flight.arrival_at,
        duration_minutes=int(duration(flight).total_seconds() // 60),
        departure_terminal=flight.departure_terminal,
        departure_gate=flight.departure_gate,
        arrival_terminal=flight.arrival_terminal,
    )


def passenger_out(row: FlightPassenger) -> PassengerOut:
    return PassengerOut(
        id=str(row.id),
        flight_id=str(row.flight_id),
        participant_id=str(row.participant_id),
        seat=row.seat,
        booking_reference=row.booking_reference,
    )


def manifest_person(participant: Participant, passenger: FlightPassenger | None = None) -> ManifestPerson:
    return ManifestPerson(
        participant_id=str(participant.id),
        name=participant.name,
        passport=mask_passport(participant.passport_number),
        dietary=list(participant.dietary),
        special_needs=participant.special_needs,
        seat=passenger.seat if passenger else None,
        booking_reference=passenger.booking_reference if passenger else None,
    )


class FlightController(Controller):
    tags = ["flights"]
    guards = [OFFICE]

    @post("/groups/{group_id:uuid}/flights")
    async def add_flight(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[FlightCreate], services: ServicesDep
    ) -> FlightOut:
        """Local departure/arrival times with their airports' IANA zones; stored as UTC instants."""
        return flight_out(await services.flights.add_flight(group_id, data))

    @get("/groups/{group_id:uuid}/flights")
    async def list_flights(self, group_id: FromPath[uuid.UUID], services: ServicesDep) -> list[FlightOut]:
        return [flight_out(row) for row in await services.flights.list_flights(group_id)]

    @get("/flights/{flight_id:uuid}")
    async def get_flight(self, flight_id: FromPath[uuid.UUID], services: ServicesDep) -> FlightOut:
        return flight_out(await services.flights.get_flight(flight_id))

    @patch("/flights/{flight_id:uuid}")
    async def change_flight(
        self, flight_id: FromPath[uuid.UUID], data: JSONBody[FlightUpdate], services: ServicesDep
    ) -> FlightOut:
        """A schedule change or a new gate; the whole flight is checked again."""
        return flight_out(await services.flights.change_flight(flight_id, data))

    @post("/flights/{flight_id:uuid}/passengers")
    async def add_passenger(
        self, flight_id: FromPath[uuid.UUID], data: JSONBody[PassengerCreate], services: ServicesDep
    ) -> PassengerOut:
        """A participant of the flight's group boards (422 for anyone else, 409 when already on board)."""
        return passenger_out(await services.flights.add_passenger(flight_id, data))

    @get("/groups/{group_id:uuid}/manifest")
    async def manifest(self, group_id: FromPath[uuid.UUID], services: ServicesDep) -> Manifest:
        """Passengers by flight with seats, booking references and needs; who has no flight yet."""
        flights, grounded = await services.flights.manifest(group_id)
        return Manifest(
            group_id=str(group_id),
            flights=[
                ManifestFlight(
                    flight=flight_out(flight),
                    passengers=[manifest_person(participant, passenger) for passenger, participant in passengers],
                )
                for flight, passengers in flights
            ],
            without_flight=[manifest_person(participant) for participant in grounded],
        )
