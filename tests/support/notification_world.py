"""Builders: a Lisbon group with driver Diego (by SMS) and Hotel Avenida (by email)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.groups.schemas import GroupCreate
from domains.groups.service import GroupService
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group, Notification, Organization, Partner
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import HotelVoucherCreate, PartnerCreate, RoomCount
from domains.vouchers.service import VoucherService
from tests.support.builders import Person, a_person, an_organization

# Deliveries run "later" than any quiet-hours hold placed today.
LATER = datetime(2027, 1, 4, 12, tzinfo=UTC)


def a_mobile() -> str:
    return f"+35191{secrets.randbelow(10**7):07d}"


@dataclass
class LisbonStay:
    org: Organization
    group: Group
    admin: Person
    coordinator: Person
    driver_id: uuid.UUID
    driver_phone: str
    assignment_id: uuid.UUID
    hotel: Partner


async def a_stay_with_driver_and_hotel(
    hub: Hub, *, driver_phone: str | None = None, hotel_email: str | None = None, languages: list[str] | None = None
) -> LisbonStay:
    org = await an_organization(hub)
    admin = await a_person(hub, org, Role.ADMIN, "Alex")
    coordinator = await a_person(hub, org, Role.COORDINATOR, "Carla")
    phone = driver_phone or a_mobile()
    async with hub.unit_of_work(org.id) as uow:
        group = await GroupService(uow.session, uow.bus).create_group(
            org.id,
            GroupCreate(name="Lisbon Spring", start_date=date(2027, 4, 10), end_date=date(2027, 4, 14),
                        timezone="Europe/Lisbon", cities=["Lisbon"]),
        )  # fmt: skip
        diego = await StaffService(uow.session, uow.bus).add_staff(
            org.id, StaffCreate(name="Diego", role="driver", phone=phone, languages=languages or ["en"])
        )
        assignment, _ = await AssignmentService(uow.session, uow.bus).assign(
            group.id, AssignmentCreate(staff_id=diego.id, role="driver", start_date=date(2027, 4, 10),
                                       end_date=date(2027, 4, 14)),
        )  # fmt: skip
        hotel = await VoucherService(uow.session, uow.bus, codes(hub)).add_partner(
            org.id,
            PartnerCreate(name="Hotel Avenida", kind="hotel",
                          email=hotel_email or f"reservas.{secrets.token_hex(3)}@hotel-avenida.example"),
        )  # fmt: skip
    return LisbonStay(org, group, admin, coordinator, diego.id, phone, assignment.id, hotel)


def codes(hub: Hub) -> VoucherCodes:
    return VoucherCodes.from_secret(hub.tokens.secret)


async def a_confirmed_hotel_voucher(hub: Hub, stay: LisbonStay) -> uuid.UUID:
    async with hub.unit_of_work(stay.org.id) as uow:
        vouchers = VoucherService(uow.session, uow.bus, codes(hub))
        voucher = await vouchers.issue(
            stay.group.id,
            HotelVoucherCreate(check_in=date(2027, 4, 10), check_out=date(2027, 4, 14),
                               rooms=[RoomCount(type="double", count=8)], partner_id=stay.hotel.id),
            stay.admin.user.id,
        )  # fmt: skip
        await vouchers.transition(voucher.id, "confirmed", stay.admin.user.id)
    return voucher.id


async def notifications_of(hub: Hub, org_id: uuid.UUID) -> list[Notification]:
    async with hub.unit_of_work(org_id) as uow:
        query = select(Notification).order_by(Notification.created_at, Notification.channel)
        return list((await uow.session.execute(query)).scalars())
