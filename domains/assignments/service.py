"""Assigning staff to groups without ever double-booking anyone."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.assignments.events import AssignmentConfirmed, AssignmentDeclined, AssignmentEvent, StaffAssigned
from domains.assignments.schemas import AssignmentCreate
from domains.groups.service import GroupService
from domains.kernel.bus import EventBus
from domains.kernel.errors import Conflict, Forbidden, Invalid
from domains.kernel.lookup import get_scoped
from domains.kernel.rooms import group_audience
from domains.kernel.security import Principal, Role
from domains.models import Assignment, Group, StaffMember, StaffUnavailability
from domains.staff.service import StaffService

ACTIVE = ("proposed", "confirmed")


class AssignmentService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def list_for_group(self, group_id: uuid.UUID) -> Sequence[tuple[Assignment, StaffMember]]:
        query = (
            select(Assignment, StaffMember)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .where(Assignment.group_id == group_id)
            .order_by(Assignment.start_date, Assignment.role)
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def assign(self, group_id: uuid.UUID, data: AssignmentCreate) -> tuple[Assignment, StaffMember]:
        group = await GroupService(self.session, self.bus).get_group(group_id)
        if data.end_date < data.start_date:
            raise Invalid("end_date must not be before start_date")
        if data.start_date < group.start_date or data.end_date > group.end_date:
            raise Invalid(f"the assignment must fall within the group's dates ({group.start_date} to {group.end_date})")
        # The staff row lock queues concurrent assignments of one person (PostgreSQL; SQLite serializes
        # writers), so the clash check below always sees the other dispatcher's committed assignment.
        staff = await StaffService(self.session, self.bus).get_staff(data.staff_id, lock=True)
        if staff.role != data.role and not (staff.role == "coordinator" and data.role == "guide"):
            raise Invalid(f"{staff.name} is a {staff.role}, not a {data.role}")
        if data.primary:
            await self._refuse_clashes(staff, data.start_date, data.end_date)
        assignment = Assignment(
            id=uuid.uuid4(),
            org_id=group.org_id,
            group_id=group.id,
            staff_id=staff.id,
            role=data.role,
            start_date=data.start_date,
            end_date=data.end_date,
            is_primary=data.primary,
        )
        self.session.add(assignment)
        await self.session.flush()
        self._publish(StaffAssigned, assignment, staff)
        return assignment, staff

    async def respond(
        self, assignment_id: uuid.UUID, accept: bool, by: Principal | None
    ) -> tuple[Assignment, StaffMember]:
        """The assigned person confirms or declines (office staff may record it on their behalf)."""
        assignment = await get_scoped(self.session, Assignment, assignment_id, "assignment", lock=True)
        staff = await StaffService(self.session, self.bus).get_staff(assignment.staff_id)
        if (
            by is not None
            and by.role not in (Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR)
            and staff.user_id != by.user_id
        ):
            raise Forbidden("only the assigned person or the office can answer this assignment")
        target = "confirmed" if accept else "declined"
        if assignment.status == target:
            return assignment, staff
        if assignment.status != "proposed":
            raise Conflict(f"the assignment is already {assignment.status}")
        assignment.status = target
        self._publish(AssignmentConfirmed if accept else AssignmentDeclined, assignment, staff)
        return assignment, staff

    async def _refuse_clashes(self, staff: StaffMember, start: date, end: date) -> None:
        clash = (
            await self.session.execute(
                select(Assignment.start_date, Assignment.end_date, Group.number)
                .join(Group, Group.id == Assignment.group_id)
                .where(
                    Assignment.staff_id == staff.id,
                    Assignment.is_primary.is_(True),
                    Assignment.status.in_(ACTIVE),
                    Assignment.start_date <= end,
                    Assignment.end_date >= start,
                )
                .limit(1)
            )
        ).first()
        if clash is not None:
            raise Conflict(
                f"{staff.name} is already assigned to {clash.number} from {clash.start_date} to {clash.end_date}"
            )
        away = (
            await self.session.execute(
                select(StaffUnavailability)
                .where(
                    StaffUnavailability.staff_id == staff.id,
                    StaffUnavailability.start_date <= end,
                    StaffUnavailability.end_date >= start,
                )
                .limit(1)
            )
        ).scalar_one_or_none()
        if away is not None:
            reason = f" ({away.reason})" if away.reason else ""
            raise Conflict(f"{staff.name} is unavailable from {away.start_date} to {away.end_date}{reason}")

    def _publish(self, kind: type[AssignmentEvent], assignment: Assignment, staff: StaffMember) -> None:
        self.bus.publish(
            kind(
                org_id=assignment.org_id,
                audience=group_audience(assignment.group_id),
                group_id=assignment.group_id,
                assignment_id=assignment.id,
                staff_id=staff.id,
                staff_name=staff.name,
                role=assignment.role,
                status=assignment.status,
            )
        )
