"""Escalation: an assignment request nobody answered in time alerts the group's coordinator.

The alert is a room event in the group's room (seen live and on replay) and an email. The email's
idempotency key doubles as the "already escalated" mark, so each request escalates once, whatever
the number of workers running this job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.conversations.log import RoomLog
from domains.kernel.bus import EventBus
from domains.kernel.rooms import group_room
from domains.models import Assignment, Group, Notification, StaffMember
from domains.notifications import recipients as who
from domains.notifications.events import ConfirmationOverdue
from domains.notifications.service import Message, NotificationConfig, NotificationService, Recipient

BATCH = 100


class Escalation:
    def __init__(self, session: AsyncSession, bus: EventBus, config: NotificationConfig) -> None:
        self.session = session
        self.bus = bus
        self.outbox = NotificationService(session, bus, config)

    async def escalate_overdue(self, now: datetime, wait: timedelta) -> int:
        rows = await self.session.execute(
            select(Notification, Assignment, Group, StaffMember)
            .join(Assignment, Assignment.id == Notification.assignment_id)
            .join(Group, Group.id == Assignment.group_id)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .where(
                Notification.category == "assignment.request",
                Notification.status.in_(("sent", "delivered")),
                Notification.sent_at <= now - wait,
                Assignment.status == "proposed",
            )
            .order_by(Notification.sent_at)
            .limit(BATCH)
        )
        escalated = 0
        seen: set[object] = set()
        for request, assignment, group, staff in rows.all():
            key = f"escalation:{assignment.id}"
            if assignment.id in seen or await self._already(key):
                continue
            seen.add(assignment.id)
            hours = int((now - (request.sent_at or now)).total_seconds() // 3600)
            await self._alert(key, assignment, group, staff, hours, now)
            escalated += 1
        return escalated

    async def _already(self, key: str) -> bool:
        query = select(Notification.id).where(Notification.idempotency_key.like(f"{key}:%")).limit(1)
        return await self.session.scalar(query) is not None

    async def _alert(
        self, key: str, assignment: Assignment, group: Group, staff: StaffMember, hours: int, now: datetime
    ) -> None:
        context = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "staff_name": staff.name, "role": assignment.role, "hours": hours,
            "role_es": who.ROLE_ES.get(assignment.role, assignment.role),
        }  # fmt: skip
        # Nobody to tell still leaves a (dead, explained) row: the request is marked as escalated.
        people = await who.coordinators(self.session, group) or [Recipient("user", None, "the group's coordinator")]
        for person in people:
            message = Message(
                "escalation", "escalation.assignment", f"{key}:{person.kind}:{person.id}", context,
                channel="email", urgent=True, event_name="assignment.overdue", group_id=group.id,
                assignment_id=assignment.id,
            )  # fmt: skip
            await self.outbox.notify(group.org_id, person, message, now)
        await RoomLog(self.session, self.bus).append(
            ConfirmationOverdue, group.org_id, None, group_room(group.id),
            {
                "assignment_id": str(assignment.id), "staff_id": str(staff.id), "staff_name": staff.name,
                "role": assignment.role, "hours": hours,
            },
        )  # fmt: skip
