"""A realistic week for the demo organization: five groups, some complete, some missing things.

Dates are relative to today, so the board always has something to show. Idempotent: a group that
already exists (by name) is left alone.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.flights.schemas import FlightCreate, PassengerCreate
from domains.flights.service import FlightService
from domains.groups.schemas import BookingCreate, GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.security import Principal, Role
from domains.kernel.unit_of_work import UnitOfWork
from domains.models import Group, Partner, StaffMember, User
from domains.rooming.schemas import RoomIn, RoomingListCreate
from domains.rooming.service import RoomingService
from domains.staff.schemas import Certification, StaffCreate
from domains.staff.service import StaffService
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import HotelVoucherCreate, PartnerCreate, RestaurantVoucherCreate, RoomCount
from domains.vouchers.service import VoucherService
from hub.demo.itineraries import seed_itinerary

STAFF = [
    StaffCreate(
        name="Ana Guide",
        role="guide",
        languages=["en", "pt", "es"],
        specializations=["Lisbon old town", "Sintra palaces"],
        certifications=[Certification(name="Licensed guide PT", expires_on=date(2030, 6, 30))],
        rating=4.8,
        email="ana.guide@demo.spirithub.example",
        phone="+351912000001",
        home_city="Lisbon",
    ),
    StaffCreate(
        name="Bruno Costa",
        role="guide",
        languages=["en", "pt", "fr"],
        specializations=["Porto wine cellars", "Douro valley"],
        certifications=[Certification(name="Licensed guide PT", expires_on=date(2029, 3, 31))],
        rating=4.6,
        email="bruno@guides.example",
        phone="+351912000002",
        home_city="Porto",
    ),
    StaffCreate(
        name="Carmen Ruiz",
        role="guide",
        languages=["es", "en", "de"],
        specializations=["Algarve coast", "Madrid museums"],
        rating=4.9,
        email="carmen@guides.example",
        phone="+34600000003",
        home_city="Faro",
    ),
    StaffCreate(
        name="Diego Driver",
        role="driver",
        languages=["pt", "es"],
        rating=4.7,
        email="diego.driver@demo.spirithub.example",
        phone="+351912000004",
        home_city="Lisbon",
    ),
    StaffCreate(
        name="Elias Santos", role="driver", languages=["pt", "en"], rating=4.4, phone="+351912000005", home_city="Porto"
    ),
    StaffCreate(
        name="Carla Coordinator",
        role="coordinator",
        languages=["en", "pt"],
        rating=4.9,
        email="coordinator@demo.spirithub.example",
        phone="+351912000006",
        preferred_contact="email",
    ),
    StaffCreate(
        name="Filipa Mendes",
        role="coordinator",
        languages=["en", "pt", "fr"],
        rating=4.5,
        email="filipa@demo.spirithub.example",
        phone="+351912000007",
        preferred_contact="email",
    ),
]
STAFF_LOGINS = {"Ana Guide": "guide", "Diego Driver": "driver", "Carla Coordinator": "coordinator"}
PARTNERS = [
    PartnerCreate(
        name="Hotel Avenida Lisboa",
        kind="hotel",
        email="reservations@avenida.example",
        phone="+351213000001",
        city="Lisbon",
        address="Av. da Liberdade 100, Lisboa",
    ),
    PartnerCreate(
        name="Restaurante O Pátio", kind="restaurant", email="mesa@opatio.example", phone="+351213000002", city="Lisbon"
    ),
    PartnerCreate(
        name="Porto Riverside Hotel",
        kind="hotel",
        email="groups@riverside.example",
        phone="+351223000003",
        city="Porto",
    ),
]
TRAVELERS = [
    ("Tom Traveler", "traveler@demo.spirithub.example", "+447911123456", ["vegetarian"]),
    ("Emma Wilson", "emma.w@example.com", "+447911123457", []),
    ("Lukas Becker", "lukas.b@example.com", "+4915112345678", ["gluten-free"]),
    ("Sofia Rossi", "sofia.r@example.com", "+393471234567", []),
    ("Hiro Tanaka", "hiro.t@example.com", None, ["nut allergy"]),
    ("Maria Souza", "maria.s@example.com", "+5511912345678", ["vegan"]),
    ("Ines Duarte", None, None, []),  # no contact data: the board flags it
]


@dataclass
class DemoGroup:
    name: str
    starts_in: int
    days: int
    cities: list[str]
    languages: list[str]
    staff: dict[str, str] = field(default_factory=dict)  # staff name -> "confirmed" | "proposed"
    travelers: int = 6
    hotel: tuple[str, str] | None = None  # (partner name, voucher status)
    dinner: bool = False
    rooming: bool = False
    flight: tuple[str, str, str] | None = None  # (airline, number, from airport)


WEEK = [
    DemoGroup(
        "Lisbon Spring Highlights",
        2,
        5,
        ["Lisbon", "Sintra"],
        ["en"],
        {"Ana Guide": "confirmed", "Diego Driver": "confirmed", "Carla Coordinator": "confirmed"},
        hotel=("Hotel Avenida Lisboa", "confirmed"),
        dinner=True,
        rooming=True,
        flight=("TAP Air Portugal", "TP1351", "LHR"),
    ),
    DemoGroup(
        "Porto & Douro Wine Week",
        4,
        6,
        ["Porto"],
        ["en", "fr"],
        {"Bruno Costa": "confirmed", "Filipa Mendes": "proposed"},
        travelers=5,
        hotel=("Porto Riverside Hotel", "created"),
        flight=("Air France", "AF1024", "CDG"),
    ),
    DemoGroup("Sintra Day Escape", 1, 1, ["Sintra"], ["en", "de"], {"Elias Santos": "proposed"}, travelers=4),
    DemoGroup(
        "Algarve Coast Families", 6, 5, ["Faro", "Lagos"], ["es", "de"], {"Carmen Ruiz": "confirmed"}, travelers=7
    ),
    DemoGroup("Madrid Art Weekend", 9, 3, ["Madrid"], ["es", "en"], travelers=3),
]


async def seed_week(
    uow: UnitOfWork, org_id: uuid.UUID, today: date, code_secret: str, actor_id: uuid.UUID
) -> list[str]:
    """Create the week's groups that do not exist yet; returns their names."""
    session, bus = uow.session, uow.bus
    staff = await _ensure_staff(uow, org_id)
    partners = await _ensure_partners(uow, org_id)
    existing = set((await session.execute(select(Group.name).where(Group.org_id == org_id))).scalars())
    coordinator = staff["Carla Coordinator"]
    author = Principal(
        user_id=coordinator.user_id or actor_id, org_id=org_id, role=Role.COORDINATOR, session_id=uuid.uuid4()
    )
    created = []
    for plan in WEEK:
        if plan.name in existing:
            continue
        start = today + timedelta(days=plan.starts_in)
        end = start + timedelta(days=plan.days - 1)
        groups = GroupService(session, bus)
        group = await groups.create_group(
            org_id,
            GroupCreate(
                name=plan.name,
                start_date=start,
                end_date=end,
                timezone="Europe/Lisbon",
                cities=plan.cities,
                languages=plan.languages,
            ),
        )
        await groups.change_status(group.id, "planning")
        booking = await groups.add_booking(group.id, BookingCreate(reference=f"BK-{group.number[-4:]}{start:%m%d}"))
        people = []
        for name, email, phone, dietary in TRAVELERS[: plan.travelers]:
            # Tom signs in as the demo traveler: he travels with the first group.
            user_id = (
                await _user_id(uow, email) if plan is WEEK[0] and email == "traveler@demo.spirithub.example" else None
            )
            people.append(
                await groups.add_participant(
                    group.id,
                    ParticipantCreate(
                        name=name,
                        email=email,
                        phone=phone,
                        dietary=dietary,
                        user_id=user_id,
                        booking_id=booking.id,
                        passport_number=f"P{zlib.crc32(name.encode()) % 10**8:08d}",
                    ),
                )
            )
        assignments = AssignmentService(session, bus)
        for staff_name, status in plan.staff.items():
            member = staff[staff_name]
            assignment, _ = await assignments.assign(
                group.id,
                AssignmentCreate(staff_id=member.id, role=member.role, start_date=start, end_date=end),  # type: ignore[arg-type]
            )
            if status == "confirmed":
                await assignments.respond(assignment.id, True, None)
        vouchers = VoucherService(session, bus, VoucherCodes.from_secret(code_secret))
        if plan.hotel:
            partner_name, status = plan.hotel
            hotel = await vouchers.issue(
                group.id,
                HotelVoucherCreate(
                    check_in=start,
                    check_out=end + timedelta(days=1),
                    partner_id=partners[partner_name].id,
                    rooms=[RoomCount(type="double", count=(plan.travelers + 1) // 2)],
                    meal_plan="BB",
                ),
                actor_id,
            )
            if status == "confirmed":
                await vouchers.transition(hotel.id, "confirmed", actor_id)
            if plan.rooming:
                rooming = RoomingService(session, bus)
                listing = await rooming.create(
                    group.id, RoomingListCreate(hotel_name=partner_name, voucher_id=hotel.id)
                )
                pairs = [people[i : i + 2] for i in range(0, len(people), 2)]
                await rooming.replace_rooms(
                    listing.id,
                    [
                        RoomIn(room_type="double" if len(p) == 2 else "single", occupants=[x.id for x in p])
                        for p in pairs
                    ],
                )
        if plan.dinner:
            dinner = await vouchers.issue(
                group.id,
                RestaurantVoucherCreate(
                    date=start + timedelta(days=1),
                    time="20:00",
                    meal_type="dinner",
                    partner_id=partners["Restaurante O Pátio"].id,
                ),
                actor_id,
            )
            await vouchers.transition(dinner.id, "confirmed", actor_id)
        if plan.flight:
            airline, number, origin = plan.flight
            departure = datetime.combine(start, time(9, 40))
            flights = FlightService(session, bus)
            flight = await flights.add_flight(
                group.id,
                FlightCreate(
                    airline=airline,
                    flight_number=number,
                    departure_airport=origin,
                    arrival_airport="LIS" if "Lisbon" in plan.cities else "OPO",
                    departure_local=departure,
                    departure_timezone="Europe/London" if origin == "LHR" else "Europe/Paris",
                    arrival_local=departure + timedelta(hours=2, minutes=45),
                    arrival_timezone="Europe/Lisbon",
                    departure_terminal="2",
                    arrival_terminal="1",
                ),
            )
            # The last traveler books their own flight, so the board shows "flight data missing" somewhere.
            for seat, person in enumerate(people[:-1] if not plan.rooming else people, start=1):
                await flights.add_passenger(
                    flight.id, PassengerCreate(participant_id=person.id, seat=f"{10 + seat // 6}{'ABCDEF'[seat % 6]}")
                )
        if plan.rooming:
            await groups.change_status(group.id, "ready")
        await seed_itinerary(uow, group, author, "Carla Coordinator")
        created.append(plan.name)
    return created


async def _ensure_staff(uow: UnitOfWork, org_id: uuid.UUID) -> dict[str, StaffMember]:
    rows = {
        s.name: s
        for s in (await uow.session.execute(select(StaffMember).where(StaffMember.org_id == org_id))).scalars()
    }
    service = StaffService(uow.session, uow.bus)
    for data in STAFF:
        if data.name not in rows:
            login = STAFF_LOGINS.get(data.name)
            user_id = await _user_id(uow, f"{login}@demo.spirithub.example") if login else None
            rows[data.name] = await service.add_staff(
                org_id,
                StaffCreate(**{f: getattr(data, f) for f in data.__struct_fields__ if f != "user_id"}, user_id=user_id),
            )
    return rows


async def _ensure_partners(uow: UnitOfWork, org_id: uuid.UUID) -> dict[str, Partner]:
    rows = {p.name: p for p in (await uow.session.execute(select(Partner).where(Partner.org_id == org_id))).scalars()}
    service = VoucherService(uow.session, uow.bus, VoucherCodes(b"x" * 32))
    for data in PARTNERS:
        if data.name not in rows:
            user_id = (
                await _user_id(uow, "partner@demo.spirithub.example") if data.name == "Hotel Avenida Lisboa" else None
            )
            rows[data.name] = await service.add_partner(
                org_id,
                PartnerCreate(
                    **{f: getattr(data, f) for f in data.__struct_fields__ if f != "user_id"}, user_id=user_id
                ),
            )
    return rows


async def _user_id(uow: UnitOfWork, email: str) -> uuid.UUID | None:
    return await uow.session.scalar(select(User.id).where(User.email == email))
