"""Groups and the travelers in them: create, move through the lifecycle, bookings, participants."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.groups.events import GroupCreated, GroupStatusChanged, GroupUpdated, ParticipantAdded
from domains.groups.lifecycle import STATUSES, check_transition
from domains.groups.people import e164
from domains.groups.schemas import BookingCreate, GroupCreate, GroupUpdate, ParticipantCreate
from domains.groups.span import DEFAULT_MAX_GROUP_DAYS, check_span
from domains.kernel.bus import EventBus
from domains.kernel.errors import Invalid
from domains.kernel.lookup import get_in_group, get_scoped
from domains.kernel.rooms import group_audience
from domains.models import Booking, Group, Participant, User
from domains.models.sequences import next_number


def clean_interests(interests: list[str]) -> list[str]:
    """Lower-cased, trimmed, without repeats, in the order given."""
    return list(dict.fromkeys(" ".join(word.lower().split()) for word in interests if word.strip()))


class GroupService:
    def __init__(self, session: AsyncSession, bus: EventBus, max_days: int = DEFAULT_MAX_GROUP_DAYS) -> None:
        self.session = session
        self.bus = bus
        self.max_days = max_days  # how many days a group may span (domains/groups/span.py)

    async def get_group(self, group_id: uuid.UUID, *, lock: bool = False) -> Group:
        return await get_scoped(self.session, Group, group_id, "group", lock=lock)

    async def list_groups(self, starting_from: date | None = None, until: date | None = None) -> Sequence[Group]:
        query = select(Group).order_by(Group.start_date, Group.number)
        if starting_from is not None:
            query = query.where(Group.end_date >= starting_from)
        if until is not None:
            query = query.where(Group.start_date <= until)
        return (await self.session.execute(query)).scalars().all()

    async def create_group(self, org_id: uuid.UUID, data: GroupCreate) -> Group:
        check_span(data.start_date, data.end_date, self.max_days)
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
            interests=clean_interests(data.interests),
        )
        self.session.add(group)
        await self.session.flush()
        self.bus.publish(
            GroupCreated(org_id=org_id, audience=group_audience(group.id), group_id=group.id, number=group.number)
        )
        return group

    async def update_group(self, group_id: uuid.UUID, data: GroupUpdate) -> Group:
        """Change the named fields; the number stays (it was given for the original start year)."""
        group = await self.get_group(group_id, lock=True)
        values = {name: getattr(data, name) for name in data.__struct_fields__ if getattr(data, name) is not UNSET}
        if "name" in values:
            values["name"] = values["name"].strip()
            if not values["name"]:
                raise Invalid("name must not be blank")
        if "interests" in values:
            values["interests"] = clean_interests(values["interests"])
        changed = [name for name, value in values.items() if getattr(group, name) != value]
        for name in changed:
            setattr(group, name, values[name])
        if "start_date" in changed or "end_date" in changed:
            # Checked only when the dates change, so a group stored before the rule can still be renamed.
            check_span(group.start_date, group.end_date, self.max_days)
        if changed:
            self.bus.publish(
                GroupUpdated(org_id=group.org_id, audience=group_audience(group.id), group_id=group.id, fields=changed)
            )
        return group

    async def change_status(self, group_id: uuid.UUID, target: str) -> Group:
        if target not in STATUSES:
            raise Invalid(f"status must be one of: {', '.join(STATUSES)}")
        group = await self.get_group(group_id, lock=True)
        check_transition(group.status, target)
        previous, group.status = group.status, target
        self.bus.publish(
            GroupStatusChanged(
                org_id=group.org_id,
                audience=group_audience(group.id),
                group_id=group.id,
                from_status=previous,
                to_status=target,
            )
        )
        return group

    async def add_booking(self, group_id: uuid.UUID, data: BookingCreate) -> Booking:
        group = await self.get_group(group_id)
        booking = Booking(id=uuid.uuid4(), org_id=group.org_id, group_id=group.id, reference=data.reference.strip())
        self.session.add(booking)
        await self.session.flush()
        return booking

    async def list_participants(self, group_id: uuid.UUID) -> Sequence[Participant]:
        await self.get_group(group_id)
        query = select(Participant).where(Participant.group_id == group_id).order_by(Participant.name)
        return (await self.session.execute(query)).scalars().all()

    async def get_participant(self, participant_id: uuid.UUID) -> Participant:
        return await get_scoped(self.session, Participant, participant_id, "participant")

    async def add_participant(self, group_id: uuid.UUID, data: ParticipantCreate) -> Participant:
        group = await self.get_group(group_id)
        if data.booking_id is not None:
            await get_in_group(self.session, Booking, data.booking_id, group.id, "booking")
        if data.user_id is not None:
            await get_scoped(self.session, User, data.user_id, "user", org_id=group.org_id)
        participant = Participant(
            id=uuid.uuid4(),
            org_id=group.org_id,
            group_id=group.id,
            booking_id=data.booking_id,
            user_id=data.user_id,
            name=data.name.strip(),
            email=data.email.strip().lower() if data.email else None,
            phone=e164(data.phone),
            nationality=data.nationality.upper() if data.nationality else None,
            date_of_birth=data.date_of_birth,
            passport_number=data.passport_number.upper() if data.passport_number else None,
            dietary=sorted({item.strip().lower() for item in data.dietary if item.strip()}),
            special_needs=data.special_needs.strip(),
            roommate_preference=data.roommate_preference.strip(),
        )
        self.session.add(participant)
        await self.session.flush()
        self.bus.publish(
            ParticipantAdded(
                org_id=group.org_id,
                audience=group_audience(group.id),
                group_id=group.id,
                participant_id=participant.id,
            )
        )
        return participant
