"""What one traveler may know about their own trip, read-only: the assistant's only window on the data.

Every query starts from the traveler's participant row (found by their user id) and is bounded by that
participant's group, booking and id; nothing here takes a group, booking or flight id from outside, so no
wording of a question can reach another group's or another traveler's data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.flights.service import local_time
from domains.itineraries.store import find_itinerary
from domains.models import (
    Assignment,
    Booking,
    Flight,
    FlightPassenger,
    Group,
    HotelRoom,
    ItineraryItem,
    Participant,
    Partner,
    RoomingList,
    RoomOccupant,
    StaffMember,
    Voucher,
)
from domains.vouchers.schemas import HotelDetails, VoucherDetails

# Staff a traveler may call: the people working with the group, not the back office.
CONTACT_ROLES = ("guide", "driver", "coordinator")


@dataclass(frozen=True, slots=True)
class Trip:
    """The traveler, their group and booking: the scope of everything else."""

    org_id: uuid.UUID
    user_id: uuid.UUID
    participant_id: uuid.UUID
    traveler_name: str
    dietary: tuple[str, ...]
    special_needs: str
    group_id: uuid.UUID
    group_name: str
    group_number: str
    timezone: str
    start_date: date
    end_date: date
    cities: tuple[str, ...]
    booking_reference: str | None
    booking_status: str | None


@dataclass(frozen=True, slots=True)
class StaffContact:
    role: str
    name: str
    phone: str | None
    email: str | None
    confirmed: bool


@dataclass(frozen=True, slots=True)
class PlanItem:
    day: date
    kind: str
    title: str
    start: str | None
    end: str | None
    place_name: str
    place_address: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class HotelStay:
    name: str
    address: str
    phone: str | None
    check_in: date
    check_out: date
    check_in_time: str | None  # from the itinerary's hotel item on the check-in day, when there is one
    meal_plan: str
    room: str | None  # the traveler's room label on the rooming list
    confirmed: bool
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class FlightLeg:
    airline: str
    number: str
    departure_airport: str
    arrival_airport: str
    departure_local: datetime
    arrival_local: datetime
    departure_terminal: str | None
    departure_gate: str | None
    arrival_terminal: str | None
    seat: str | None


@dataclass(frozen=True, slots=True)
class VoucherLine:
    type: str
    status: str
    service_date: date
    partner: str | None


class TravelerView:
    """Read-only queries for one traveler; use inside the traveler's organization's unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def trip(self, user_id: uuid.UUID, today: date) -> Trip | None:
        """The traveler's current trip: the group under way or next to start, else the most recent one."""
        rows = (
            await self.session.execute(
                select(Participant, Group, Booking)
                .join(Group, Group.id == Participant.group_id)
                .outerjoin(Booking, Booking.id == Participant.booking_id)
                .where(Participant.user_id == user_id, Group.status != "cancelled")
            )
        ).all()
        if not rows:
            return None
        upcoming = sorted((r for r in rows if r[1].end_date >= today), key=lambda r: r[1].start_date)
        participant, group, booking = upcoming[0] if upcoming else max(rows, key=lambda r: r[1].end_date)
        return Trip(
            org_id=group.org_id,
            user_id=user_id,
            participant_id=participant.id,
            traveler_name=participant.name,
            dietary=tuple(participant.dietary),
            special_needs=participant.special_needs,
            group_id=group.id,
            group_name=group.name,
            group_number=group.number,
            timezone=group.timezone,
            start_date=group.start_date,
            end_date=group.end_date,
            cities=tuple(group.cities),
            booking_reference=booking.reference if booking else None,
            booking_status=booking.status if booking else None,
        )

    async def contacts(self, trip: Trip) -> list[StaffContact]:
        """The group's guide, driver and coordinator (primary and confirmed first); declined ones never."""
        rows = (
            await self.session.execute(
                select(Assignment, StaffMember)
                .join(StaffMember, StaffMember.id == Assignment.staff_id)
                .where(
                    Assignment.group_id == trip.group_id,
                    Assignment.status != "declined",
                    Assignment.role.in_(CONTACT_ROLES),
                )
            )
        ).all()
        ordered = sorted(rows, key=lambda r: (not r[0].is_primary, r[0].status != "confirmed", r[1].name))
        return [
            StaffContact(staff.role, staff.name, staff.phone, staff.email, assignment.status == "confirmed")
            for assignment, staff in ordered
        ]

    async def plan(self, trip: Trip, day: date) -> list[PlanItem]:
        """The group's itinerary items of one day, in their order, cancelled ones left out."""
        itinerary = await find_itinerary(self.session, trip.group_id)
        if itinerary is None:
            return []
        rows = (
            (
                await self.session.execute(
                    select(ItineraryItem).where(
                        ItineraryItem.itinerary_id == itinerary.id,
                        ItineraryItem.day == day,
                        ItineraryItem.removed.is_(False),
                        ItineraryItem.status != "cancelled",
                    )
                )
            )
            .scalars()
            .all()
        )
        # Positions are fractional keys compared by code point: sorted here, never by the database.
        return [_plan_item(row) for row in sorted(rows, key=lambda r: r.position)]

    async def hotel(self, trip: Trip, on: date) -> HotelStay | None:
        """The hotel the group sleeps at on `on` (else the next stay, else the last one)."""
        rows = (
            await self.session.execute(
                select(Voucher, Partner)
                .outerjoin(Partner, Partner.id == Voucher.partner_id)
                .where(Voucher.group_id == trip.group_id, Voucher.type == "hotel", Voucher.status != "cancelled")
            )
        ).all()
        stays = [(v, p, d) for v, p in rows if isinstance(d := _details(v.details), HotelDetails)]
        if not stays:
            return None
        stays.sort(key=lambda s: s[2].check_in)
        current = [s for s in stays if s[2].check_in <= on < s[2].check_out]
        later = [s for s in stays if s[2].check_in > on]
        voucher, partner, details = (current or later or stays[-1:])[0]
        arrival = [item for item in await self.plan(trip, details.check_in) if item.kind == "hotel"]
        located = next((item for item in arrival if item.lat is not None), None)
        return HotelStay(
            name=partner.name if partner else _rooming_hotel_name(voucher),
            address=partner.address if partner and partner.address else (located.place_address if located else ""),
            phone=partner.phone if partner else None,
            check_in=details.check_in,
            check_out=details.check_out,
            check_in_time=arrival[0].start if arrival else None,
            meal_plan=details.meal_plan,
            room=await self._room_label(trip, voucher.id),
            confirmed=voucher.status not in ("created",),
            lat=located.lat if located else None,
            lon=located.lon if located else None,
        )

    async def flights(self, trip: Trip) -> list[FlightLeg]:
        """Flights the traveler is booked on (not every flight of the group), in departure order."""
        rows = (
            await self.session.execute(
                select(Flight, FlightPassenger)
                .join(FlightPassenger, FlightPassenger.flight_id == Flight.id)
                .where(Flight.group_id == trip.group_id, FlightPassenger.participant_id == trip.participant_id)
                .order_by(Flight.departure_at)
            )
        ).all()
        return [
            FlightLeg(
                airline=flight.airline,
                number=flight.flight_number,
                departure_airport=flight.departure_airport,
                arrival_airport=flight.arrival_airport,
                departure_local=local_time(flight.departure_at, flight.departure_tz),
                arrival_local=local_time(flight.arrival_at, flight.arrival_tz),
                departure_terminal=flight.departure_terminal,
                departure_gate=flight.departure_gate,
                arrival_terminal=flight.arrival_terminal,
                seat=passenger.seat,
            )
            for flight, passenger in rows
        ]

    async def vouchers(self, trip: Trip) -> list[VoucherLine]:
        """The group's vouchers that are still good (never the codes themselves: those live in the app)."""
        rows = (
            await self.session.execute(
                select(Voucher, Partner.name)
                .outerjoin(Partner, Partner.id == Voucher.partner_id)
                .where(Voucher.group_id == trip.group_id, Voucher.status.not_in(("cancelled", "archived")))
                .order_by(Voucher.service_date)
            )
        ).all()
        return [VoucherLine(v.type, v.status, v.service_date, name) for v, name in rows]

    async def _room_label(self, trip: Trip, voucher_id: uuid.UUID) -> str | None:
        label = await self.session.scalar(
            select(HotelRoom.label)
            .join(RoomOccupant, RoomOccupant.room_id == HotelRoom.id)
            .join(RoomingList, RoomingList.id == RoomOccupant.rooming_list_id)
            .where(
                RoomingList.group_id == trip.group_id,
                RoomingList.voucher_id == voucher_id,
                RoomOccupant.participant_id == trip.participant_id,
            )
        )
        return str(label) if label is not None else None


def _plan_item(row: ItineraryItem) -> PlanItem:
    place: dict[str, Any] = dict(row.place or {})
    return PlanItem(
        day=row.day,
        kind=row.kind,
        title=row.title,
        start=row.start_time,
        end=row.end_time,
        place_name=str(place.get("name") or ""),
        place_address=str(place.get("address") or ""),
        lat=_float(place.get("lat")),
        lon=_float(place.get("lon")),
    )


def _details(raw: dict[str, Any]) -> VoucherDetails | None:
    try:
        return cast(VoucherDetails, msgspec.convert(raw, VoucherDetails))
    except msgspec.ValidationError:
        return None  # a damaged row must not stop the traveler from getting the rest of the answer


def _rooming_hotel_name(voucher: Voucher) -> str:
    return voucher.notes.strip() or voucher.number


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
