"""`/api/v1/staff` (the directory) and `/api/v1/assignments/{id}/confirm|decline`."""

from __future__ import annotations

import uuid
from typing import Literal

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.assignments.schemas import AssignmentOut
from domains.staff.schemas import StaffCreate, StaffOut, UnavailabilityCreate, UnavailabilityOut
from web.deps import IdentityDep, ServicesDep
from web.guards import OFFICE, enrolled
from web.routes.presenters import assignment_out, staff_out, unavailability_out


class StaffController(Controller):
    path = "/staff"
    tags = ["staff"]
    guards = [OFFICE]

    @post("/")
    async def add_staff(self, data: JSONBody[StaffCreate], identity: IdentityDep, services: ServicesDep) -> StaffOut:
        return staff_out(await services.staff.add_staff(identity.principal.org_id, data))

    @get("/")
    async def list_staff(
        self,
        services: ServicesDep,
        role: FromQuery[Literal["guide", "driver", "coordinator"] | None] = None,
    ) -> list[StaffOut]:
        return [staff_out(s) for s in await services.staff.list_staff(role)]

    @get("/{staff_id:uuid}")
    async def get_staff(self, staff_id: FromPath[uuid.UUID], services: ServicesDep) -> StaffOut:
        return staff_out(await services.staff.get_staff(staff_id))

    @post("/{staff_id:uuid}/unavailability")
    async def add_unavailability(
        self, staff_id: FromPath[uuid.UUID], data: JSONBody[UnavailabilityCreate], services: ServicesDep
    ) -> UnavailabilityOut:
        return unavailability_out(await services.staff.add_unavailability(staff_id, data))


class AssignmentController(Controller):
    """The assigned guide or driver answers here (the office may answer for them)."""

    path = "/assignments"
    tags = ["assignments"]
    guards = [enrolled]

    @post("/{assignment_id:uuid}/confirm", status_code=200)
    async def confirm(
        self, assignment_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> AssignmentOut:
        return assignment_out(*await services.assignments.respond(assignment_id, True, identity.principal))

    @post("/{assignment_id:uuid}/decline", status_code=200)
    async def decline(
        self, assignment_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> AssignmentOut:
        return assignment_out(*await services.assignments.respond(assignment_id, False, identity.principal))
