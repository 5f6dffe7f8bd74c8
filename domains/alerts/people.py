"""Who is told of a group's alerts: its staff, the coordinator on duty and those after them, the dispatchers.

A person is keyed by their user account when they have one (`user:<id>`), else by their directory entry
(`staff:<id>`), so the same coordinator seen in the app and later reached by SMS counts once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import Assignment, Group, StaffMember, User

ROLE_ORDER = ("coordinator", "guide", "driver")


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    role: str
    user_id: uuid.UUID | None
    # Where they are reached outside the app: their directory entry (staff) or their account (user).
    kind: str
    id: uuid.UUID
    email: str | None = None
    phone: str | None = None
    preferred: str | None = None
    languages: tuple[str, ...] = ()


def staff_person(staff: StaffMember, role: str) -> Person:
    key = f"user:{staff.user_id}" if staff.user_id else f"staff:{staff.id}"
    return Person(
        key, staff.name, role, staff.user_id, "staff", staff.id, staff.email, staff.phone, staff.preferred_contact,
        tuple(staff.languages or ()),
    )  # fmt: skip


def user_person(user: User) -> Person:
    return Person(f"user:{user.id}", user.name, user.role, user.id, "user", user.id, user.email)


async def group_team(session: AsyncSession, group_id: uuid.UUID) -> list[Person]:
    """The group's staff who have not declined: coordinators first (the primary, then the confirmed), then
    guides and drivers; each person once, in their first role."""
    role_rank = case({role: rank for rank, role in enumerate(ROLE_ORDER)}, value=Assignment.role, else_=9)
    rows = await session.execute(
        select(StaffMember, Assignment.role)
        .join(Assignment, Assignment.staff_id == StaffMember.id)
        .where(Assignment.group_id == group_id, Assignment.status != "declined")
        .order_by(
            role_rank,
            Assignment.is_primary.desc(),
            (Assignment.status == "confirmed").desc(),
            Assignment.start_date,
            StaffMember.name,
        )
    )
    team: dict[uuid.UUID, Person] = {}
    for staff, role in rows.all():
        team.setdefault(staff.id, staff_person(staff, role))
    return list(team.values())


async def coordinators_in_turn(session: AsyncSession, group: Group) -> list[Person]:
    """The coordinator on duty first, then the next ones: the group's own coordinators; without one, the
    organization's coordinators."""
    own = [person for person in await group_team(session, group.id) if person.role == "coordinator"]
    if own:
        return own
    office = await session.execute(
        select(User)
        .where(User.org_id == group.org_id, User.role == "coordinator", User.is_active.is_(True))
        .order_by(User.name)
    )
    return [user_person(user) for user in office.scalars()]


async def dispatchers(session: AsyncSession, org_id: uuid.UUID) -> list[Person]:
    rows = await session.execute(
        select(User)
        .where(User.org_id == org_id, User.role == "dispatcher", User.is_active.is_(True))
        .order_by(User.name)
    )
    return [user_person(user) for user in rows.scalars()]
