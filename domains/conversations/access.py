"""Who may join which room. Every socket join (and every file or page that belongs to a room) goes through here.

- `group:<id>`: the organization's office, the guides and drivers assigned to the group, its travelers.
- `staff:<group id>`: the same staff; never a traveler or a partner.
- `dm:<user>:<user>`: the two people, when they are of one organization and share a group (an office
  member sees every group, and reaches any colleague). Traveler to traveler is refused: travelers talk in
  their group's room, and a stranger on the same tour cannot write to them privately. Partners have none.
"""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.errors import Forbidden
from domains.kernel.rooms import RoomKey, parse_room
from domains.kernel.security import OFFICE_ROLES, STAFF_ROLES, Principal, Role
from domains.models import Assignment, Booking, Group, Participant, StaffMember, User

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
        if room.kind in ("group", "staff"):
            if room.kind == "staff" and not principal.is_staff:
                return False
            group = await self.session.get(Group, room.id)
            return group is not None and group.org_id == principal.org_id and await self._may_see(principal, group.id)
        if room.kind == "dm":
            return await self._may_write_to(principal, room)
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

    async def _may_write_to(self, principal: Principal, room: RoomKey) -> bool:
        """A direct conversation: one of its two people, the other active in the same organization, and a
        group they share (an office member shares every group; travelers never write to travelers)."""
        one, two = room.people
        if principal.user_id not in (one, two):
            return False
        other = await self.session.get(User, two if principal.user_id == one else one)
        if other is None or other.org_id != principal.org_id or not other.is_active:
            return False
        roles = {principal.role, Role(other.role)}
        if Role.PARTNER in roles or roles == {Role.TRAVELER}:
            return False
        if roles <= STAFF_ROLES and roles & OFFICE_ROLES:
            return True  # the office reaches any colleague, a guide before an assignment too
        mine, theirs = (
            await self._groups_of(principal.user_id, principal.role),
            await self._groups_of(other.id, other.role),
        )
        if mine is None or theirs is None:  # an office member: every group of the organization
            return bool(mine if theirs is None else theirs)
        return bool(mine & theirs)

    async def _groups_of(self, user_id: uuid.UUID, role: str) -> set[uuid.UUID] | None:
        """The groups a person takes part in; None for the office, who see all of them."""
        if role in OFFICE_ROLES:
            return None
        if role in STAFF_ROLES:
            query = (
                select(Assignment.group_id)
                .join(StaffMember, StaffMember.id == Assignment.staff_id)
                .where(StaffMember.user_id == user_id, Assignment.status != "declined")
            )
        else:
            query = select(Participant.group_id).where(Participant.user_id == user_id)
        return {group_id for group_id in (await self.session.scalars(query)) if group_id is not None}

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
