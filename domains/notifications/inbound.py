"""Inbound SMS: YES/NO (also SI/SÍ) answers the latest assignment request sent to that phone.

Anything else is forwarded to the group's coordinator by email and shown in the group's room;
STOP opts the sender out. Runs in an unscoped unit of work: the phone number finds the organization.
"""

from __future__ import annotations

import string
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.assignments.service import AssignmentService
from domains.conversations.log import RoomLog
from domains.kernel.bus import EventBus
from domains.kernel.rooms import group_room
from domains.models import Assignment, Group, Notification, StaffMember
from domains.notifications import recipients as who
from domains.notifications.addresses import BadAddress, e164
from domains.notifications.events import SmsReplyReceived
from domains.notifications.preferences import PreferenceService
from domains.notifications.service import Message, NotificationConfig, NotificationService
from domains.notifications.templates import render

YES = frozenset({"yes", "y", "si", "sí", "s", "ok", "yep", "sim"})
NO = frozenset({"no", "n", "nao", "não"})
STOP = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "baja"})


@dataclass(frozen=True)
class InboundResult:
    outcome: str  # confirmed | declined | already | forwarded | opted_out | unknown_sender
    reply: str | None = None  # the text to answer with, if any


def first_word(text: str) -> str:
    words = text.strip().casefold().split()
    return words[0].strip(string.punctuation + "¡¿") if words else ""


class InboundSms:
    def __init__(self, session: AsyncSession, bus: EventBus, config: NotificationConfig) -> None:
        self.session = session
        self.bus = bus
        self.config = config

    async def receive(self, sender: str, text: str, message_sid: str) -> InboundResult:
        try:
            phone = e164(sender)
        except BadAddress:
            return InboundResult("unknown_sender")
        request = await self.session.scalar(
            select(Notification)
            .where(
                Notification.channel == "sms",
                Notification.recipient == phone,
                Notification.category == "assignment.request",
                Notification.status.not_in(("dead", "skipped")),
            )
            .order_by(Notification.created_at.desc())
            .limit(1)
        )
        assignment = (
            await self.session.get(Assignment, request.assignment_id) if request and request.assignment_id else None
        )
        staff = await self._staff(phone, assignment)
        if staff is None:
            return InboundResult("unknown_sender")
        word = first_word(text)
        if word in STOP:
            await PreferenceService(self.session).opt_out(staff.org_id, "staff", staff.id)
            return InboundResult("opted_out")
        group = await self.session.get(Group, assignment.group_id) if assignment else await self._latest_group(staff)
        if assignment is not None and group is not None and (word in YES or word in NO):
            outcome = "already"
            if assignment.status == "proposed":
                await AssignmentService(self.session, self.bus).respond(assignment.id, word in YES, by=None)
                outcome = assignment.status
            context = {
                "group": who.group_view(group), "role": assignment.role, "outcome": outcome,
                "status": assignment.status,
                "role_es": who.ROLE_ES.get(assignment.role, assignment.role), "recipient": {"name": staff.name},
            }  # fmt: skip
            language = request.language if request else "en"
            return InboundResult(outcome, render("assignment_reply", language, context).sms)
        if group is not None:
            await self._forward(staff, phone, text, message_sid, group)
        return InboundResult("forwarded")

    async def _forward(self, staff: StaffMember, phone: str, text: str, message_sid: str, group: Group) -> None:
        seen = select(Notification.id).where(Notification.idempotency_key.like(f"inbound.sms:{message_sid}:%"))
        if await self.session.scalar(seen.limit(1)) is not None:
            return  # Twilio sent this message again: it was forwarded already
        outbox = NotificationService(self.session, self.bus, self.config)
        context = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "sender_name": staff.name, "sender_phone": phone, "text": text[:1000],
        }  # fmt: skip
        for coordinator in await who.coordinators(self.session, group):
            message = Message(
                "sms_forwarded", "inbound.sms", f"inbound.sms:{message_sid}:{coordinator.kind}:{coordinator.id}",
                context, channel="email", urgent=True, event_name="sms.received", group_id=group.id,
            )  # fmt: skip
            await outbox.notify(group.org_id, coordinator, message)
        await RoomLog(self.session, self.bus).append(
            SmsReplyReceived, group.org_id, None, group_room(group.id),
            {"staff_id": str(staff.id), "staff_name": staff.name, "phone": phone, "text": text[:1000]},
        )  # fmt: skip

    async def _staff(self, phone: str, assignment: Assignment | None) -> StaffMember | None:
        if assignment is not None:
            return await self.session.get(StaffMember, assignment.staff_id)
        return await self.session.scalar(select(StaffMember).where(StaffMember.phone == phone).limit(1))

    async def _latest_group(self, staff: StaffMember) -> Group | None:
        group_id: uuid.UUID | None = await self.session.scalar(
            select(Assignment.group_id)
            .where(Assignment.staff_id == staff.id)
            .order_by(Assignment.created_at.desc())
            .limit(1)
        )
        return await self.session.get(Group, group_id) if group_id else None
