"""The staff directory: guides, drivers and coordinators, their unavailability, and who fits a group."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.groups.people import e164
from domains.kernel.bus import EventBus
from domains.kernel.errors import Conflict, Invalid
from domains.kernel.lookup import get_scoped
from domains.models import StaffMember, StaffUnavailability, User
from domains.staff.schemas import StaffCreate, UnavailabilityCreate


class StaffService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def get_staff(self, staff_id: uuid.UUID, *, lock: bool = False) -> StaffMember:
        return await get_scoped(self.session, StaffMember, staff_id, "staff member", lock=lock)

    async def list_staff(self, role: str | None = None) -> Sequence[StaffMember]:
        query = select(StaffMember).order_by(StaffMember.name)
        if role is not None:
            query = query.where(StaffMember.role == role)
        return (await self.session.execute(query)).scalars().all()

    async def add_staff(self, org_id: uuid.UUID, data: StaffCreate) -> StaffMember:
        if data.user_id is not None:
            await get_scoped(self.session, User, data.user_id, "user", org_id=org_id)
            taken = await self.session.scalar(select(StaffMember.id).where(StaffMember.user_id == data.user_id))
            if taken is not None:
                raise Conflict("that user is already linked to a staff member")
        staff = StaffMember(
            id=uuid.uuid4(),
            org_id=org_id,
            user_id=data.user_id,
            name=data.name.strip(),
            role=data.role,
            languages=sorted({language.lower() for language in data.languages}),
            specializations=[item.strip() for item in data.specializations if item.strip()],
            certifications=msgspec.to_builtins(data.certifications),
            email=data.email.lower() if data.email else None,
            phone=e164(data.phone),
            preferred_contact=data.preferred_contact,
            home_city=data.home_city,
            rating=data.rating,
        )
        self.session.add(staff)
        await self.session.flush()
        return staff

    async def add_unavailability(self, staff_id: uuid.UUID, data: UnavailabilityCreate) -> StaffUnavailability:
        staff = await self.get_staff(staff_id, lock=True)
        if data.end_date < data.start_date:
            raise Invalid("end_date must not be before start_date")
        period = StaffUnavailability(
            id=uuid.uuid4(),
            org_id=staff.org_id,
            staff_id=staff.id,
            start_date=data.start_date,
            end_date=data.end_date,
            reason=data.reason.strip(),
        )
        self.session.add(period)
        await self.session.flush()
        return period
