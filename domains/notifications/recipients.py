"""Who hears about what: the people and partners behind a group, voucher or booking, as `Recipient`s."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import Assignment, Group, Organization, Partner, StaffMember, User, Voucher
from domains.notifications.service import Recipient

ROLE_ES = {"guide": "guía", "driver": "conductor/a", "coordinator": "coordinador/a"}


def staff_recipient(person: StaffMember) -> Recipient:
    return Recipient(
        kind="staff", id=person.id, name=person.name, email=person.email, phone=person.phone,
        preferred=person.preferred_contact, languages=tuple(person.languages or ()),
    )  # fmt: skip


def partner_recipient(partner: Partner) -> Recipient:
    return Recipient(kind="partner", id=partner.id, name=partner.name, email=partner.email, phone=partner.phone)


def group_view(group: Group) -> dict[str, Any]:
    return {
        "id": str(group.id), "number": group.number, "name": group.name, "start_date": group.start_date,
        "end_date": group.end_date, "timezone": group.timezone,
    }  # fmt: skip


async def org_view(session: AsyncSession, org_id: uuid.UUID) -> dict[str, Any]:
    return {"name": await session.scalar(select(Organization.name).where(Organization.id == org_id)) or ""}


async def group_staff(session: AsyncSession, group_id: uuid.UUID, roles: tuple[str, ...]) -> list[StaffMember]:
    """Staff assigned to the group in these roles, unless they declined."""
    rows = await session.execute(
        select(StaffMember)
        .join(Assignment, Assignment.staff_id == StaffMember.id)
        .where(Assignment.group_id == group_id, Assignment.role.in_(roles), Assignment.status != "declined")
        .order_by(StaffMember.name)
    )
    return list(dict.fromkeys(rows.scalars()))


async def coordinators(session: AsyncSession, group: Group) -> list[Recipient]:
    """The group's coordinators; without one, the organization's coordinators and dispatchers (by email)."""
    people = [staff_recipient(person) for person in await group_staff(session, group.id, ("coordinator",))]
    if any(person.email or person.phone for person in people):
        return people
    return await office(session, group.org_id)


async def office(session: AsyncSession, org_id: uuid.UUID) -> list[Recipient]:
    """The organization's coordinators and dispatchers (by email): who hears what belongs to no group."""
    people = await session.execute(
        select(User).where(User.org_id == org_id, User.role.in_(("coordinator", "dispatcher")))
    )
    return [Recipient(kind="user", id=user.id, name=user.name, email=user.email) for user in people.scalars()]


# What a guide, driver or partner owes, by the missing item's area: an assignment to confirm, a voucher to confirm.
FIELD_ROLES = ("guide", "driver")


async def owners(
    session: AsyncSession, group: Group, items: list[dict[str, Any]]
) -> list[tuple[Recipient, list[dict[str, Any]]]]:
    """Who owes which of a group's missing items: the coordinators all of them (they run the group); a guide or
    driver who has not confirmed, that confirmation; a supplier whose voucher is unconfirmed, that voucher."""
    owed: list[tuple[Recipient, list[dict[str, Any]]]] = [(p, items) for p in await coordinators(session, group)]
    for role in FIELD_ROLES:
        mine = [item for item in items if item.get("area") == role and _to_confirm(item)]
        if not mine:
            continue
        rows = await session.execute(
            select(StaffMember)
            .join(Assignment, Assignment.staff_id == StaffMember.id)
            .where(
                Assignment.group_id == group.id, Assignment.role == role, Assignment.is_primary.is_(True),
                Assignment.status.not_in(("confirmed", "declined")),
            )
            .order_by(StaffMember.name)
        )  # fmt: skip
        owed += [(staff_recipient(person), mine) for person in dict.fromkeys(rows.scalars())]
    unconfirmed = [item for item in items if item.get("area") == "vouchers" and _to_confirm(item)]
    if unconfirmed:
        partners = await session.execute(
            select(Partner)
            .join(Voucher, Voucher.partner_id == Partner.id)
            .where(Voucher.group_id == group.id, Voucher.status == "created")
            .order_by(Partner.name)
        )
        owed += [(partner_recipient(partner), unconfirmed) for partner in dict.fromkeys(partners.scalars())]
    return owed


def _to_confirm(item: dict[str, Any]) -> bool:
    """The item asks someone to confirm (see `domains.reminders.completeness`), not to assign or issue."""
    return "not confirmed" in str(item.get("message"))
