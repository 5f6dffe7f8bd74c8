"""Chasing missing data: each due reminder is sent exactly once, more often as travel nears."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.board.completeness import CRITICAL, MissingItem, missing_for
from domains.groups.service import group_audience
from domains.models import Assignment, Group, SentReminder, StaffMember, User
from domains.notifications.service import NotificationService
from domains.reminders.cadence import cadence_for
from domains.reminders.events import ReminderSent
from hub.bus import EventBus

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
            recipients = await self._notify_responsible(group, key, items, days_left, cadence.urgent)
            self.bus.publish(
                ReminderSent(
                    org_id=str(group.org_id),
                    audience=group_audience(group.id),
                    group_id=str(group.id),
                    number=group.number,
                    cadence=cadence.name,
                    urgent=cadence.urgent,
                    items=[item.view() for item in items],
                    recipients=recipients,
                )
            )
            sent.append(reminder)
        return sent

    async def _notify_responsible(
        self, group: Group, key: str, items: list[MissingItem], days_left: int, urgent: bool
    ) -> int:
        contacts = await self._responsible(group)
        subject = f"{'URGENT: ' if urgent else ''}{group.number} {group.name} is missing {len(items)} item(s)"
        lines = [f"{group.number} {group.name} travels in {days_left} day(s) ({group.start_date}).", ""]
        lines += [f"- [{item.severity}] {item.area}: {item.message}" for item in items]
        outbox = NotificationService(self.session, self.bus)
        for channel, address in contacts:
            body = "\n".join(lines) if channel == "email" else f"{subject}. Open the board for details."
            await outbox.enqueue(
                group.org_id, key=f"reminder:{key}:{channel}:{address}", category="reminder.missing_data",
                channel=channel, recipient=address, subject=subject, body=body,
            )  # fmt: skip
        return len(contacts)

    async def _responsible(self, group: Group) -> list[tuple[str, str]]:
        """The group's assigned coordinators; without one, the organization's coordinators and dispatchers."""
        staff = (
            (
                await self.session.execute(
                    select(StaffMember)
                    .join(Assignment, Assignment.staff_id == StaffMember.id)
                    .where(
                        Assignment.group_id == group.id,
                        Assignment.role == "coordinator",
                        Assignment.status != "declined",
                    )
                )
            )
            .scalars()
            .all()
        )
        contacts = [
            ("sms", person.phone) if person.preferred_contact == "sms" and person.phone else ("email", person.email)
            for person in staff
            if person.phone or person.email
        ]
        if not contacts:
            office = await self.session.execute(
                select(User.email).where(User.org_id == group.org_id, User.role.in_(("coordinator", "dispatcher")))
            )
            contacts = [("email", email) for email in office.scalars()]
        return sorted({(channel, address) for channel, address in contacts if address})
