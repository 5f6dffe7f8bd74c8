"""Groups and the people in them: staff assignments, bookings, participants (the core rooms rely on)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.groups.events import GroupCreated, ParticipantAdded, StaffAssigned
from domains.groups.schemas import AssignmentCreate, BookingCreate, GroupCreate, ParticipantCreate, StaffCreate
from domains.models import Assignment, Booking, Group, Participant, StaffMember, User
from domains.numbering import next_number
from hub.bus import EventBus
from hub.db import ORG_SCOPE
from hub.errors import Conflict, Invalid, NotFound

BOARD = "board:dispatch"
Row = TypeVar("Row", Group, StaffMember, Booking, Participant)


def group_room(group_id: uuid.UUID | str) -> str:
    return f"group:{group_id}"


class GroupService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def _get(self, model: type[Row], row_id: uuid.UUID, what: str) -> Row:
        row = await self.session.get(model, row_id)
        if row is None or row.org_id != self.session.info.get(ORG_SCOPE, row.org_id):
            raise NotFound(f"{what} not found")
        return row

    async def get_group(self, group_id: uuid.UUID) -> Group:
        return await self._get(Group, group_id, "group")

    async def list_groups(self) -> Sequence[Group]:
        return (await self.session.execute(select(Group).order_by(Group.start_date, Group.number))).scalars().all()

    async def create_group(self, org_id: uuid.UUID, data: GroupCreate) -> Group:
        if data.end_date < data.start_date:
            raise Invalid("end_date must not be before start_date")
        serial = await next_number(self.session, org_id, "group", data.start_date.year)
        group = Group(
            id=uuid.uuid4(),
            org_id=org_id,
            number=f"G-{data.start_date.year}-{serial:04d}",
            name=data.name.strip(),
            start_date=data.start_date,
            end_date=data.end_date,
            timezone=data.timezone,
            cities=data.cities,
            languages=data.languages,
            notes=data.notes,
        )
        self.session.add(group)
        await self.session.flush()
        self.bus.publish(
            GroupCreated(org_id=str(org_id), audience=(BOARD,), group_id=str(group.id), number=group.number)
        )
        return group

    async def add_staff(self, org_id: uuid.UUID, data: StaffCreate) -> StaffMember:
        if data.user_id is not None:
            user = await self.session.get(User, data.user_id)
            if user is None or user.org_id != org_id:
                raise NotFound("user not found")
        staff = StaffMember(
            id=uuid.uuid4(),
            org_id=org_id,
            user_id=data.user_id,
            name=data.name.strip(),
            role=data.role,
            languages=data.languages,
            email=data.email,
            phone=data.phone,
            home_city=data.home_city,
        )
        self.session.add(staff)
        await self.session.flush()
        return staff

    async def assign_staff(self, group_id: uuid.UUID, data: AssignmentCreate) -> Assignment:
        group = await self.get_group(group_id)
        staff: StaffMember = await self._get(StaffMember, data.staff_id, "staff member")
        if data.end_date < data.start_date:
            raise Invalid("end_date must not be before start_date")
        if data.primary:
            clash = (
                await self.session.execute(
                    select(Assignment, Group.number)
                    .join(Group, Group.id == Assignment.group_id)
                    .where(
                        Assignment.staff_id == staff.id,
                        Assignment.is_primary.is_(True),
                        Assignment.status != "declined",
                        Assignment.start_date <= data.end_date,
                        Assignment.end_date >= data.start_date,
                    )
                )
            ).first()
            if clash is not None:
                other, number = clash
                raise Conflict(
                    f"{staff.name} is already assigned to {number} from {other.start_date} to {other.end_date}"
                )
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
        self.bus.publish(
            StaffAssigned(
                org_id=str(group.org_id),
                audience=(BOARD, group_room(group.id)),
                group_id=str(group.id),
                assignment_id=str(assignment.id),
                staff_id=str(staff.id),
                role=data.role,
            )
        )
        return assignment

    async def add_booking(self, group_id: uuid.UUID, data: BookingCreate) -> Booking:
        group = await self.get_group(group_id)
        booking = Booking(id=uuid.uuid4(), org_id=group.org_id, group_id=group.id, reference=data.reference.strip())
        self.session.add(booking)
        await self.session.flush()
        return booking

    async def add_participant(self, group_id: uuid.UUID, data: ParticipantCreate) -> Participant:
        group = await self.get_group(group_id)
        if data.booking_id is not None:
            booking: Booking = await self._get(Booking, data.booking_id, "booking")
            if booking.group_id != group.id:
                raise Invalid("the booking belongs to another group")
        if data.user_id is not None:
            user = await self.session.get(User, data.user_id)
            if user is None or user.org_id != group.org_id:
                raise NotFound("user not found")
        participant = Participant(
            id=uuid.uuid4(),
            org_id=group.org_id,
            group_id=group.id,
            booking_id=data.booking_id,
            user_id=data.user_id,
            name=data.name.strip(),
            email=data.email,
            phone=data.phone,
        )
        self.session.add(participant)
        await self.session.flush()
        self.bus.publish(
            ParticipantAdded(
                org_id=str(group.org_id),
                audience=(group_room(group.id),),
                group_id=str(group.id),
                participant_id=str(participant.id),
            )
        )
        return participant
