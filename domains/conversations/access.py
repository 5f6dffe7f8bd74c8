"""Who may join which room. Every socket join goes through here."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.errors import Forbidden
from domains.kernel.rooms import RoomKey, parse_room
from domains.kernel.security import OFFICE_ROLES, Principal, Role
from domains.models import Assignment, Booking, Group, Participant, StaffMember

FIELD_ROLES = frozenset({Role.GUIDE, Role.DRIVER})
DENIED = "forbidden"


class RoomAccess:
    """Staff of the organization by role; guides and drivers in the groups they work; travelers in their own."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def check_join(self, principal: Principal, key: object) -> RoomKey:
        room = parse_room(key)
        allowed = await self._allowed(principal, room)
        if not allowed:
            raise Forbidden(DENIED)
        return room

    async def _allowed(self, principal: Principal, room: RoomKey) -> bool:
        if room.kind == "board":
            return principal.role in OFFICE_ROLES
        if room.kind == "user":
            return room.id == principal.user_id
        if room.kind == "group":
            group = await self.session.get(Group, room.id)
            return group is not None and group.org_id == principal.org_id and await self._may_see(principal, group.id)
        booking = await self.session.get(Booking, room.id)
        if booking is None or booking.org_id != principal.org_id:
            return False
        if principal.role == Role.TRAVELER:
            return await self._exists(
                select(Participant.id).where(
                    Participant.booking_id == booking.id, Participant.user_id == principal.user_id
                )
            )
        return await self._may_see(principal, booking.group_id)

    async def _may_see(self, principal: Principal, group_id: uuid.UUID) -> bool:
        if principal.role in OFFICE_ROLES:
            return True
        if principal.role in FIELD_ROLES:
            return await self._exists(
                select(Assignment.id)
                .join(StaffMember, StaffMember.id == Assignment.staff_id)
                .where(
                    Assignment.group_id == group_id,
                    Assignment.status != "declined",
                    StaffMember.user_id == principal.user_id,
                )
            )
        if principal.role == Role.TRAVELER:
            return await self._exists(
                select(Participant.id).where(Participant.group_id == group_id, Participant.user_id == principal.user_id)
            )
        return False  # partners see vouchers, never group rooms

    async def _exists(self, query) -> bool:  # type: ignore[no-untyped-def]
        return bool(await self.session.scalar(select(exists(query))))
