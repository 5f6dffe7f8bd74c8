"""`/api/v1/groups`: groups, their lifecycle, bookings, participants, assignments and staff suggestions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.assignments.schemas import AssignmentCreate, AssignmentOut
from domains.assignments.service import AssignmentService
from domains.groups.schemas import (
    BookingCreate,
    BookingOut,
    GroupCreate,
    GroupOut,
    GroupTransition,
    GroupUpdate,
    ParticipantCreate,
    ParticipantOut,
)
from domains.groups.service import GroupService
from domains.kernel.security import Role
from domains.staff.schemas import Suggestion
from domains.staff.suggestions import rank_staff
from web.deps import HubDep, IdentityDep
from web.guards import roles
from web.routes.presenters import assignment_out, booking_out, group_out, participant_out, staff_out

OFFICE = roles(Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR)
GroupId = FromPath[uuid.UUID]


class GroupController(Controller):
    path = "/groups"
    tags = ["groups"]
    guards = [OFFICE]

    @post("/")
    async def create_group(self, data: JSONBody[GroupCreate], identity: IdentityDep, hub: HubDep) -> GroupOut:
        """Create a group; it gets the organization's next number for its start year (G-2027-0001)."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).create_group(identity.principal.org_id, data))

    @get("/")
    async def list_groups(
        self,
        identity: IdentityDep,
        hub: HubDep,
        date_from: FromQuery[date | None] = None,
        to: FromQuery[date | None] = None,
    ) -> list[GroupOut]:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return [group_out(g) for g in await GroupService(uow.session, uow.bus).list_groups(date_from, to)]

    @get("/{group_id:uuid}")
    async def get_group(self, group_id: GroupId, identity: IdentityDep, hub: HubDep) -> GroupOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).get_group(group_id))

    @patch("/{group_id:uuid}")
    async def update_group(
        self, group_id: GroupId, data: JSONBody[GroupUpdate], identity: IdentityDep, hub: HubDep
    ) -> GroupOut:
        """Change the named fields (name, dates, time zone, cities, languages, notes, interests)."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).update_group(group_id, data))

    @post("/{group_id:uuid}/transition", status_code=200)
    async def transition(
        self, group_id: GroupId, data: JSONBody[GroupTransition], identity: IdentityDep, hub: HubDep
    ) -> GroupOut:
        """Move the group to another status; 409 names both states when the move is not allowed."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).change_status(group_id, data.to))

    @post("/{group_id:uuid}/bookings")
    async def add_booking(
        self, group_id: GroupId, data: JSONBody[BookingCreate], identity: IdentityDep, hub: HubDep
    ) -> BookingOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return booking_out(await GroupService(uow.session, uow.bus).add_booking(group_id, data))

    @post("/{group_id:uuid}/participants")
    async def add_participant(
        self, group_id: GroupId, data: JSONBody[ParticipantCreate], identity: IdentityDep, hub: HubDep
    ) -> ParticipantOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return participant_out(await GroupService(uow.session, uow.bus).add_participant(group_id, data))

    @get("/{group_id:uuid}/participants")
    async def list_participants(self, group_id: GroupId, identity: IdentityDep, hub: HubDep) -> list[ParticipantOut]:
        """Participants with passport numbers masked."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return [participant_out(p) for p in await GroupService(uow.session, uow.bus).list_participants(group_id)]

    @post("/{group_id:uuid}/assignments")
    async def assign(
        self, group_id: GroupId, data: JSONBody[AssignmentCreate], identity: IdentityDep, hub: HubDep
    ) -> AssignmentOut:
        """Propose a person for the group; 409 names the clash when they are booked or away."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return assignment_out(*await AssignmentService(uow.session, uow.bus).assign(group_id, data))

    @get("/{group_id:uuid}/assignments")
    async def list_assignments(self, group_id: GroupId, identity: IdentityDep, hub: HubDep) -> list[AssignmentOut]:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            await GroupService(uow.session, uow.bus).get_group(group_id)
            return [
                assignment_out(*pair) for pair in await AssignmentService(uow.session, uow.bus).list_for_group(group_id)
            ]

    @get("/{group_id:uuid}/staff-suggestions")
    async def staff_suggestions(
        self,
        group_id: GroupId,
        identity: IdentityDep,
        hub: HubDep,
        role: FromQuery[Literal["guide", "driver", "coordinator"]] = "guide",
    ) -> list[Suggestion]:
        """Available people ranked by language, specialization, certification, rating and recent workload."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            group = await GroupService(uow.session, uow.bus).get_group(group_id)
            ranked = await rank_staff(uow.session, group, role)
            return [Suggestion(staff=staff_out(r.staff), score=r.score, reasons=r.reasons) for r in ranked]


@get("/participants/{participant_id:uuid}", guards=[OFFICE], tags=["groups"])
async def get_participant(participant_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> ParticipantOut:
    """One participant, with the full passport number (office staff only)."""
    async with hub.unit_of_work(identity.principal.org_id) as uow:
        return participant_out(
            await GroupService(uow.session, uow.bus).get_participant(participant_id), full_passport=True
        )
