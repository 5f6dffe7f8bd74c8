"""Chasing missing data: each due reminder is sent exactly once, more often as travel nears, to whoever owes
the data (the coordinator, and the guide, driver or partner for their own part), never to travelers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.rooms import BOARD, STAFF_AUDIENCE, audience_room, group_room
from domains.models import Group, SentReminder
from domains.reminders.cadence import cadence_for
from domains.reminders.completeness import CRITICAL, missing_for
from domains.reminders.events import ReminderSent

ACTIVE_STATUSES = ("draft", "planning", "ready")


class ReminderService:
    """Runs in an unscoped unit of work: the scheduler serves every organization."""

    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def send_due(self, now: datetime) -> list[SentReminder]:
        groups = (
            (
                await self.session.execute(
                    select(Group).where(
                        Group.status.in_(ACTIVE_STATUSES), Group.start_date >= (now - timedelta(days=1)).date()
                    )
                )
            )
            .scalars()
            .all()
        )
        missing = await missing_for(self.session, groups)
        sent: list[SentReminder] = []
        for group in groups:
            items = missing.get(group.id, [])
            today = now.astimezone(ZoneInfo(group.timezone)).date()
            days_left = (group.start_date - today).days
            if not items or days_left < 0:
                continue
            cadence = cadence_for(days_left, any(item.severity == CRITICAL for item in items))
            key = f"{group.id}:{cadence.name}:{cadence.slot(today)}"
            if await self.session.scalar(select(SentReminder.id).where(SentReminder.key == key)) is not None:
                continue
            reminder = SentReminder(
                org_id=group.org_id, key=key, group_id=group.id, cadence=cadence.name, items=len(items)
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(reminder)
            except IntegrityError:
                continue  # another process sent this one
            # The notification subscriber writes the messages to whoever owes the data in this same transaction.
            # Live, the reminder is for the group's staff and the board: never for its travelers.
            self.bus.publish(
                ReminderSent(
                    org_id=group.org_id,
                    audience=(audience_room(group_room(group.id), STAFF_AUDIENCE), BOARD),
                    group_id=group.id,
                    number=group.number,
                    cadence=cadence.name,
                    urgent=cadence.urgent,
                    key=key,
                    days_left=days_left,
                    items=[item.view() for item in items],
                )
            )
            sent.append(reminder)
        return sent
