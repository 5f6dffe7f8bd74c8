"""`/api/v1/me/trips` and `/api/v1/groups/{id}/team`: what a member of a group sees of it.

The office routes (assignments, vouchers, missing data) are for the office only; travelers, guides and
drivers still need to know who looks after their group and how to reach them. Reading a team needs
membership of the group's room, the same rule as the chat and the itinerary. The office's notes about the
group are for staff: a traveler's answer leaves them out.
"""

from __future__ import annotations

import uuid
from datetime import date

import msgspec
from litestar import get
from litestar.params import FromPath

from domains.groups.schemas import GroupOut
from domains.groups.team import TeamMember, team_of, trips_of
from domains.kernel.rooms import group_room
from web.deps import IdentityDep, ServicesDep
from web.guards import enrolled
from web.routes.presenters import group_out


class TeamMemberOut(msgspec.Struct):
    assignment_id: str
    staff_id: str
    user_id: str | None
    name: str
    role: str
    status: str
    primary: bool
    start_date: date
    end_date: date
    phone: str | None
    email: str | None
    preferred_contact: str


class TripOut(msgspec.Struct):
    group: GroupOut
    team: list[TeamMemberOut]


def team_member_out(member: TeamMember) -> TeamMemberOut:
    assignment, staff = member.assignment, member.staff
    return TeamMemberOut(
        assignment_id=str(assignment.id),
        staff_id=str(staff.id),
        user_id=str(staff.user_id) if staff.user_id else None,
        name=staff.name,
        role=assignment.role,
        status=assignment.status,
        primary=assignment.is_primary,
        start_date=assignment.start_date,
        end_date=assignment.end_date,
        phone=staff.phone,
        email=staff.email,
        preferred_contact=staff.preferred_contact,
    )


@get("/me/trips", guards=[enrolled], tags=["groups"])
async def my_trips(identity: IdentityDep, services: ServicesDep) -> list[TripOut]:
    """The groups I travel with (travelers) or work for (guides, drivers), each with its team."""
    trips = []
    for group in await trips_of(services.session, identity.principal):
        team = [team_member_out(m) for m in await team_of(services.session, group.id)]
        trips.append(TripOut(group=group_out(group, notes=identity.principal.is_staff), team=team))
    return trips


@get("/groups/{group_id:uuid}/team", guards=[enrolled], tags=["groups"])
async def group_team(group_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep) -> TripOut:
    """The group and who looks after it, with contacts; for members of the group's room (403 otherwise)."""
    await services.room_access.check_join(identity.principal, group_room(group_id))
    group = await services.groups.get_group(group_id)
    team = [team_member_out(m) for m in await team_of(services.session, group.id)]
    return TripOut(group=group_out(group, notes=identity.principal.is_staff), team=team)
