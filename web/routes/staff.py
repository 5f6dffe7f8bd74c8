"""`/api/v1/staff` (the directory) and `/api/v1/assignments/{id}/confirm|decline`."""

from __future__ import annotations

import uuid
from typing import Literal

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.assignments.schemas import AssignmentOut
from domains.assignments.service import AssignmentService
from domains.kernel.security import Role
from domains.staff.schemas import StaffCreate, StaffOut, UnavailabilityCreate, UnavailabilityOut
from domains.staff.service import StaffService
from web.deps import HubDep, IdentityDep
from web.guards import enrolled, roles
from web.routes.presenters import assignment_out, staff_out, unavailability_out

OFFICE = roles(Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR)


class StaffController(Controller):
    path = "/staff"
    tags = ["staff"]
    guards = [OFFICE]

    @post("/")
    async def add_staff(self, data: JSONBody[StaffCreate], identity: IdentityDep, hub: HubDep) -> StaffOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return staff_out(await StaffService(uow.session, uow.bus).add_staff(identity.principal.org_id, data))

    @get("/")
    async def list_staff(
        self,
        identity: IdentityDep,
        hub: HubDep,
        role: FromQuery[Literal["guide", "driver", "coordinator"] | None] = None,
    ) -> list[StaffOut]:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return [staff_out(s) for s in await StaffService(uow.session, uow.bus).list_staff(role)]

    @get("/{staff_id:uuid}")
    async def get_staff(self, staff_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> StaffOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return staff_out(await StaffService(uow.session, uow.bus).get_staff(staff_id))

    @post("/{staff_id:uuid}/unavailability")
    async def add_unavailability(
        self, staff_id: FromPath[uuid.UUID], data: JSONBody[UnavailabilityCreate], identity: IdentityDep, hub: HubDep
    ) -> UnavailabilityOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return unavailability_out(await StaffService(uow.session, uow.bus).add_unavailability(staff_id, data))


class AssignmentController(Controller):
    """The assigned guide or driver answers here (the office may answer for them)."""

    path = "/assignments"
    tags = ["assignments"]
    guards = [enrolled]

    @post("/{assignment_id:uuid}/confirm", status_code=200)
    async def confirm(self, assignment_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> AssignmentOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return assignment_out(
                *await AssignmentService(uow.session, uow.bus).respond(assignment_id, True, identity.principal)
            )

    @post("/{assignment_id:uuid}/decline", status_code=200)
    async def decline(self, assignment_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> AssignmentOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return assignment_out(
                *await AssignmentService(uow.session, uow.bus).respond(assignment_id, False, identity.principal)
            )
