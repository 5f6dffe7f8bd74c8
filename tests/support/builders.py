"""Builders with story names: an organization "Lisbon Tours", a dispatcher "Dana"..."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date

import httpx
import pyotp

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.groups.schemas import BookingCreate, GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Booking, Group, Organization, User
from domains.organizations.service import OrganizationService
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from domains.users.schemas import UserCreate
from domains.users.service import UserService

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    user: User
    email: str
    password: str = PASSWORD


async def an_organization(hub: Hub, name: str = "Lisbon Tours") -> Organization:
    slug = f"{name.lower().replace(' ', '-')}-{secrets.token_hex(3)}"
    async with hub.unit_of_work() as uow:
        return await OrganizationService(uow.session, uow.bus).create_organization(slug, name)


async def a_person(hub: Hub, org: Organization, role: Role, name: str) -> Person:
    email = f"{name.lower().replace(' ', '.')}.{secrets.token_hex(3)}@{org.slug}.example"
    async with hub.unit_of_work(org.id) as uow:
        user = await UserService(uow.session, uow.bus).create_user(
            org.id, UserCreate(email=email, name=name, role=role, password=PASSWORD)
        )
    return Person(user=user, email=email)


async def sign_in(http: httpx.AsyncClient, person: Person, totp: str | None = None) -> dict[str, str]:
    body = {"email": person.email, "password": person.password} | ({"totp": totp} if totp else {})
    response = await http.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def next_code(secret: str) -> str:
    """The authenticator's code for the next 30-second step. A code is good once: the current one may just have
    been spent (confirming the authenticator, say), and the next is accepted already (one step of clock drift)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@dataclass
class TourGroup:
    """'Lisbon Spring': a coordinator, an assigned guide, a traveler with a booking, and the org's people."""

    org: Organization
    group: Group
    booking: Booking
    coordinator: Person
    guide: Person
    traveler: Person

    @property
    def room(self) -> str:
        return f"group:{self.group.id}"


async def a_tour_group(hub: Hub, name: str = "Lisbon Spring", org: Organization | None = None) -> TourGroup:
    org = org or await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    ana = await a_person(hub, org, Role.GUIDE, "Ana")
    tom = await a_person(hub, org, Role.TRAVELER, "Tom")
    async with hub.unit_of_work(org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        group = await groups.create_group(
            org.id, GroupCreate(name=name, start_date=date(2027, 4, 10), end_date=date(2027, 4, 14), cities=["Lisbon"])
        )
        staff = await StaffService(uow.session, uow.bus).add_staff(
            org.id, StaffCreate(name="Ana", role="guide", user_id=ana.user.id)
        )
        await AssignmentService(uow.session, uow.bus).assign(
            group.id,
            AssignmentCreate(staff_id=staff.id, role="guide", start_date=group.start_date, end_date=group.end_date),
        )
        booking = await groups.add_booking(group.id, BookingCreate(reference=f"BK-{secrets.token_hex(3).upper()}"))
        await groups.add_participant(
            group.id, ParticipantCreate(name="Tom", user_id=tom.user.id, booking_id=booking.id)
        )
    return TourGroup(org=org, group=group, booking=booking, coordinator=carla, guide=ana, traveler=tom)
