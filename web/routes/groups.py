"""`/api/v1/groups`, `/api/v1/staff`: the group core (create, read, staff, bookings, participants)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from domains.groups.schemas import (
    AssignmentCreate,
    AssignmentOut,
    BookingCreate,
    BookingOut,
    GroupCreate,
    GroupOut,
    ParticipantCreate,
    ParticipantOut,
    StaffCreate,
    StaffOut,
)
from domains.groups.service import GroupService
from domains.models import Assignment, Booking, Group, Participant, StaffMember
from hub.security import Role
from web.deps import HubDep, IdentityDep
from web.guards import roles

OFFICE = roles(Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR)


def group_out(group: Group) -> GroupOut:
    return GroupOut(
        id=str(group.id),
        number=group.number,
        name=group.name,
        status=group.status,
        start_date=group.start_date,
        end_date=group.end_date,
        timezone=group.timezone,
        cities=group.cities,
        languages=group.languages,
        notes=group.notes,
    )


def staff_out(staff: StaffMember) -> StaffOut:
    user_id = str(staff.user_id) if staff.user_id else None
    return StaffOut(id=str(staff.id), name=staff.name, role=staff.role, languages=staff.languages, user_id=user_id)


def assignment_out(row: Assignment) -> AssignmentOut:
    return AssignmentOut(
        id=str(row.id),
        group_id=str(row.group_id),
        staff_id=str(row.staff_id),
        role=row.role,
        start_date=row.start_date,
        end_date=row.end_date,
        primary=row.is_primary,
        status=row.status,
    )


def participant_out(row: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=str(row.id),
        group_id=str(row.group_id),
        name=row.name,
        booking_id=str(row.booking_id) if row.booking_id else None,
        user_id=str(row.user_id) if row.user_id else None,
    )


def booking_out(row: Booking) -> BookingOut:
    return BookingOut(id=str(row.id), group_id=str(row.group_id), reference=row.reference, status=row.status)


class GroupController(Controller):
    path = "/groups"
    tags = ["groups"]
    guards = [OFFICE]

    @post("/")
    async def create_group(self, data: JSONBody[GroupCreate], identity: IdentityDep, hub: HubDep) -> GroupOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).create_group(identity.principal.org_id, data))

    @get("/")
    async def list_groups(self, identity: IdentityDep, hub: HubDep) -> list[GroupOut]:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return [group_out(group) for group in await GroupService(uow.session, uow.bus).list_groups()]

    @get("/{group_id:uuid}")
    async def get_group(self, group_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> GroupOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return group_out(await GroupService(uow.session, uow.bus).get_group(group_id))

    @post("/{group_id:uuid}/assignments")
    async def assign(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[AssignmentCreate], identity: IdentityDep, hub: HubDep
    ) -> AssignmentOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return assignment_out(await GroupService(uow.session, uow.bus).assign_staff(group_id, data))

    @post("/{group_id:uuid}/bookings")
    async def add_booking(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[BookingCreate], identity: IdentityDep, hub: HubDep
    ) -> BookingOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return booking_out(await GroupService(uow.session, uow.bus).add_booking(group_id, data))

    @post("/{group_id:uuid}/participants")
    async def add_participant(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[ParticipantCreate], identity: IdentityDep, hub: HubDep
    ) -> ParticipantOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return participant_out(await GroupService(uow.session, uow.bus).add_participant(group_id, data))


class StaffController(Controller):
    path = "/staff"
    tags = ["staff"]
    guards = [OFFICE]

    @post("/")
    async def add_staff(self, data: JSONBody[StaffCreate], identity: IdentityDep, hub: HubDep) -> StaffOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return staff_out(await GroupService(uow.session, uow.bus).add_staff(identity.principal.org_id, data))
