"""Who looks after a group, as its members see it: the trips a person is on and the team of each trip.

Room membership decides who may read this (see domains.conversations.access); here we only answer
"which groups" and "which staff", so a traveler's view and the group room share one read model.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.security import Principal, Role
from domains.models import Assignment, Group, Participant, StaffMember

# A declined assignment is history, not the team.
ACTIVE = ("proposed", "confirmed")
# Guides first: the person a traveler looks for; then drivers, then coordinators.
ROLE_ORDER = {"guide": 0, "driver": 1, "coordinator": 2}


@dataclass(frozen=True, slots=True)
class TeamMember:
    assignment: Assignment
    staff: StaffMember


async def team_of(session: AsyncSession, group_id: uuid.UUID) -> list[TeamMember]:
    """The staff working for the group (proposed or confirmed), guides first, primaries before backups."""
    query = (
        select(Assignment, StaffMember)
        .join(StaffMember, StaffMember.id == Assignment.staff_id)
        .where(Assignment.group_id == group_id, Assignment.status.in_(ACTIVE))
    )
    rows = [TeamMember(row[0], row[1]) for row in (await session.execute(query)).all()]
    return sorted(
        rows,
        key=lambda m: (ROLE_ORDER.get(m.assignment.role, 9), not m.assignment.is_primary, m.assignment.start_date),
    )


async def trips_of(session: AsyncSession, principal: Principal) -> Sequence[Group]:
    """The groups a traveler travels with, or a guide or driver works for, earliest first."""
    if principal.role == Role.TRAVELER:
        ids = select(Participant.group_id).where(Participant.user_id == principal.user_id)
    elif principal.role in (Role.GUIDE, Role.DRIVER):
        ids = (
            select(Assignment.group_id)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .where(StaffMember.user_id == principal.user_id, Assignment.status.in_(ACTIVE))
        )
    else:
        return []
    query = select(Group).where(Group.id.in_(ids)).order_by(Group.start_date, Group.number)
    return (await session.execute(query)).scalars().all()
