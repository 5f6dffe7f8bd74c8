"""`/api/v1/groups`: groups, their lifecycle, bookings, participants, assignments and staff suggestions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.assignments.schemas import AssignmentCreate, AssignmentOut
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
from domains.staff.schemas import Suggestion
from domains.staff.suggestions import rank_staff
from web.deps import IdentityDep, ServicesDep
from web.guards import OFFICE
from web.routes.presenters import assignment_out, booking_out, group_out, participant_out, staff_out

GroupId = FromPath[uuid.UUID]


class GroupController(Controller):
    path = "/groups"
    tags = ["groups"]
    guards = [OFFICE]

    @post("/")
    async def create_group(self, data: JSONBody[GroupCreate], identity: IdentityDep, services: ServicesDep) -> GroupOut:
        """Create a group; it gets the organization's next number for its start year (G-2027-0001)."""
        return group_out(await services.groups.create_group(identity.principal.org_id, data))

    @get("/")
    async def list_groups(
        self,
        services: ServicesDep,
        date_from: FromQuery[date | None] = None,
        to: FromQuery[date | None] = None,
    ) -> list[GroupOut]:
        return [group_out(g) for g in await services.groups.list_groups(date_from, to)]

    @get("/{group_id:uuid}")
    async def get_group(self, group_id: GroupId, services: ServicesDep) -> GroupOut:
        return group_out(await services.groups.get_group(group_id))

    @patch("/{group_id:uuid}")
    async def update_group(self, group_id: GroupId, data: JSONBody[GroupUpdate], services: ServicesDep) -> GroupOut:
        """Change the named fields (name, dates, time zone, cities, languages, notes, interests)."""
        return group_out(await services.groups.update_group(group_id, data))

    @post("/{group_id:uuid}/transition", status_code=200)
    async def transition(self, group_id: GroupId, data: JSONBody[GroupTransition], services: ServicesDep) -> GroupOut:
        """Move the group to another status; 409 names both states when the move is not allowed."""
        return group_out(await services.groups.change_status(group_id, data.to))

    @post("/{group_id:uuid}/bookings")
    async def add_booking(self, group_id: GroupId, data: JSONBody[BookingCreate], services: ServicesDep) -> BookingOut:
        return booking_out(await services.groups.add_booking(group_id, data))

    @post("/{group_id:uuid}/participants")
    async def add_participant(
        self, group_id: GroupId, data: JSONBody[ParticipantCreate], services: ServicesDep
    ) -> ParticipantOut:
        return participant_out(await services.groups.add_participant(group_id, data))

    @get("/{group_id:uuid}/participants")
    async def list_participants(self, group_id: GroupId, services: ServicesDep) -> list[ParticipantOut]:
        """Participants with passport numbers masked."""
        return [participant_out(p) for p in await services.groups.list_participants(group_id)]

    @post("/{group_id:uuid}/assignments")
    async def assign(self, group_id: GroupId, data: JSONBody[AssignmentCreate], services: ServicesDep) -> AssignmentOut:
        """Propose a person for the group; 409 names the clash when they are booked or away."""
        return assignment_out(*await services.assignments.assign(group_id, data))

    @get("/{group_id:uuid}/assignments")
    async def list_assignments(self, group_id: GroupId, services: ServicesDep) -> list[AssignmentOut]:
        await services.groups.get_group(group_id)  # 404 for a group that is not ours
        return [assignment_out(*pair) for pair in await services.assignments.list_for_group(group_id)]

    @get("/{group_id:uuid}/staff-suggestions")
    async def staff_suggestions(
        self,
        group_id: GroupId,
        services: ServicesDep,
        role: FromQuery[Literal["guide", "driver", "coordinator"]] = "guide",
    ) -> list[Suggestion]:
        """Available people ranked by language, specialization, certification, rating and recent workload."""
        group = await services.groups.get_group(group_id)
        ranked = await rank_staff(services.session, group, role)
        return [Suggestion(staff=staff_out(r.staff), score=r.score, reasons=r.reasons) for r in ranked]


@get("/participants/{participant_id:uuid}", guards=[OFFICE], tags=["groups"])
async def get_participant(participant_id: FromPath[uuid.UUID], services: ServicesDep) -> ParticipantOut:
    """One participant, with the full passport number (office staff only)."""
    return participant_out(await services.groups.get_participant(participant_id), full_passport=True)
