"""Routing alerts (`domains.alerts`) to people: in the app to whoever of the group's staff is online, else
by SMS and email to the coordinator on duty; escalating, when nobody acknowledges in time, to the next
coordinator in turn and the dispatchers.

Every person told is recorded once per alert (`AlertDelivery`, unique per alert and person), so nobody
hears of an alert twice, whatever the number of processes or escalation steps. An escalation step is
claimed by a conditional update of the alert's `level`: a second process's update finds the level
already moved on (the row lock makes it wait and re-check) and changes nothing.

Presence comes in as a port (`domains.alerts.ports.Online`), built in `hub.wiring`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.alerts.events import AlertEscalated, AlertRaised
from domains.alerts.people import Person, coordinators_in_turn, dispatchers, group_team
from domains.alerts.ports import AlertConfig, Online
from domains.alerts.service import alert_audience
from domains.kernel.bus import EventBus
from domains.models import Alert, AlertDelivery, Group
from domains.notifications import recipients as who
from domains.notifications.service import Message, NotificationConfig, NotificationService, Recipient

IN_APP = "in_app"
QUEUED = ("pending", "sent", "delivered")
BATCH = 50


def recipient(person: Person) -> Recipient:
    return Recipient(
        kind=person.kind, id=person.id, name=person.name, email=person.email, phone=person.phone,
        preferred=person.preferred, languages=person.languages,
    )  # fmt: skip


class Deliveries:
    """Telling one person of one alert: recorded first (the unique pair claims it), then queued in the outbox."""

    def __init__(self, session: AsyncSession, notifications: NotificationConfig) -> None:
        self.session = session
        # Outbox rows publish no events; the bus is only the service's constructor argument.
        self.outbox = NotificationService(session, EventBus(), notifications)

    async def told(self, alert_id: uuid.UUID) -> set[str]:
        rows = await self.session.execute(select(AlertDelivery.person).where(AlertDelivery.alert_id == alert_id))
        return set(rows.scalars())

    async def claim(self, alert: Alert, person: Person, channel: str, level: int) -> AlertDelivery | None:
        """The delivery row for this person, or None when they were already told."""
        delivery = AlertDelivery(
            org_id=alert.org_id, alert_id=alert.id, person=person.key, name=person.name, role=person.role,
            channel=channel, level=level,
        )  # fmt: skip
        try:
            async with self.session.begin_nested():
                self.session.add(delivery)
        except IntegrityError:
            return None
        return delivery

    async def by_message(self, alert: Alert, group: Group, person: Person, level: int) -> bool:
        """SMS and email (whichever their addresses and preferences allow), urgent: quiet hours do not hold it."""
        delivery = await self.claim(alert, person, "none", level)
        if delivery is None:
            return False
        context = await alert_context(self.session, alert, group)
        channels: set[str] = set()
        for channel in ("sms", "email"):
            message = Message(
                "alert", "escalation.alert", f"alert:{alert.id}:{person.key}", context, channel=channel,
                urgent=True, event_name="alert.raised" if level == 0 else "alert.escalated", timezone=group.timezone,
                group_id=group.id,
            )  # fmt: skip
            rows = await self.outbox.notify(group.org_id, recipient(person), message)
            channels.update(row.channel for row in rows if row.status in QUEUED)
        delivery.channel = "+".join(sorted(channels, reverse=True)) or "none"
        return True


async def alert_context(session: AsyncSession, alert: Alert, group: Group) -> dict[str, Any]:
    return {
        "org": await who.org_view(session, group.org_id), "group": who.group_view(group),
        "alert": {
            "kind": alert.kind, "reason": alert.reason, "traveler_name": alert.traveler_name,
            "message": alert.message, "emergency": alert.kind == "emergency",
        },
    }  # fmt: skip


class AlertRouting:
    """Hears `AlertRaised` in the transaction that raised it (a transactional subscriber)."""

    def __init__(self, config: AlertConfig, notifications: NotificationConfig, online: Online) -> None:
        self.config = config
        self.notifications = notifications
        self.online = online

    async def alert_raised(self, event: AlertRaised, session: AsyncSession) -> None:
        alert = await session.get(Alert, event.alert_id)
        group = await session.get(Group, event.group_id)
        if alert is None or group is None:
            return
        deliveries = Deliveries(session, self.notifications)
        team = await group_team(session, group.id)
        online = await self.online({person.user_id for person in team if person.user_id})
        seen = [person for person in team if person.user_id in online]
        for person in seen:  # the event reaches them live, in their `user:<id>` room
            await deliveries.claim(alert, person, IN_APP, 0)
        if not seen:
            for person in (await coordinators_in_turn(session, group))[:1]:
                await deliveries.by_message(alert, group, person, 0)
        alert.next_escalation_at = alert.created_at + self.config.escalate_after


class AlertEscalation:
    """A scheduled job in an unscoped unit of work: the scheduler serves every organization."""

    def __init__(
        self, session: AsyncSession, bus: EventBus, config: AlertConfig, notifications: NotificationConfig
    ) -> None:
        self.session = session
        self.bus = bus
        self.config = config
        self.deliveries = Deliveries(session, notifications)

    async def escalate_due(self, now: datetime) -> int:
        due = await self.session.execute(
            select(Alert.id, Alert.level)
            .where(Alert.acknowledged_at.is_(None), Alert.next_escalation_at <= now)
            .order_by(Alert.next_escalation_at)
            .limit(BATCH)
        )
        escalated = 0
        for alert_id, level in due.all():
            claimed = await self.session.execute(
                update(Alert)
                .where(Alert.id == alert_id, Alert.level == level, Alert.acknowledged_at.is_(None))
                .values(level=level + 1, next_escalation_at=now + self.config.escalate_after)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue  # another process took this step, or someone acknowledged meanwhile
            alert = await self.session.scalar(
                select(Alert).where(Alert.id == alert_id).execution_options(populate_existing=True)
            )
            group = await self.session.get(Group, alert.group_id) if alert else None
            if alert is not None and group is not None and await self._step(alert, group, level + 1):
                escalated += 1
        return escalated

    async def _step(self, alert: Alert, group: Group, level: int) -> bool:
        """The next coordinator not yet told, and the dispatchers; nobody left: the alert stops escalating."""
        told = await self.deliveries.told(alert.id)
        following = next((p for p in await coordinators_in_turn(self.session, group) if p.key not in told), None)
        people = [*([following] if following else []), *(await dispatchers(self.session, group.org_id))]
        reached = [person.name for person in people if await self.deliveries.by_message(alert, group, person, level)]
        if not reached:
            alert.next_escalation_at = None
            return False
        self.bus.publish(
            AlertEscalated(
                org_id=alert.org_id,
                audience=await alert_audience(self.session, group.id),
                alert_id=alert.id,
                group_id=group.id,
                level=level,
                told=reached,
            )
        )
        return True
