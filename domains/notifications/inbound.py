"""Inbound SMS, routed within one organization: YES/NO (also SI/SÍ) answers that organization's latest
open assignment request to that phone; anything else goes to that organization's staff; STOP opts the
sender out.

The organization is the one whose own number the text was sent to (`Organization.sms_number`). A text to
the hub's default sender belongs to the one organization without a number of its own that knows this
phone (a request sent to it, or a staff member with it); when several do, nobody's room hears it and the
sender is asked to answer in the app. A reply never reaches another organization, and never travelers:
in the group room it is a staff-only event (`group:<id>#staff`), redacted on replay for everyone else.
Runs in an unscoped unit of work, so every query here names the organization itself.
"""

from __future__ import annotations

import string
import uuid
from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from domains.assignments.service import AssignmentService
from domains.conversations.log import RoomLog
from domains.kernel.bus import EventBus
from domains.kernel.rooms import BOARD, STAFF_AUDIENCE, RoomKey, audience_room, group_room
from domains.models import Assignment, Group, Notification, Organization, StaffMember
from domains.notifications import recipients as who
from domains.notifications.addresses import BadAddress, e164
from domains.notifications.events import SmsReplyReceived
from domains.notifications.preferences import PreferenceService
from domains.notifications.service import Message, NotificationConfig, NotificationService, Recipient
from domains.notifications.templates import render

YES = frozenset({"yes", "y", "si", "sí", "s", "ok", "yep", "sim"})
NO = frozenset({"no", "n", "nao", "não"})
STOP = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "baja"})
# Requests that went out (or will): a dead or skipped one never reached the phone.
REACHED = ("dead", "skipped")
SHARED_NUMBER_REPLY = (
    "This number sends for several tour operators, so we cannot tell which one you are answering. "
    "Please answer in the Spirit Hub app or call your coordinator."
)


@dataclass(frozen=True)
class InboundResult:
    outcome: str  # confirmed | declined | already | forwarded | opted_out | unknown_sender | ambiguous
    reply: str | None = None  # the text to answer with, if any


def first_word(text: str) -> str:
    words = text.strip().casefold().split()
    return words[0].strip(string.punctuation + "¡¿") if words else ""


def _number(raw: str) -> str | None:
    try:
        return e164(raw)
    except BadAddress:
        return None


class InboundSms:
    def __init__(self, session: AsyncSession, bus: EventBus, config: NotificationConfig) -> None:
        self.session = session
        self.bus = bus
        self.config = config

    async def receive(self, sender: str, to: str, text: str, message_sid: str) -> InboundResult:
        """`sender` texted `text` to our number `to` (the organization's own, or the default sender)."""
        phone = _number(sender)
        if phone is None:
            return InboundResult("unknown_sender")
        candidates = await self._organizations(phone, to)
        if len(candidates) > 1:
            return InboundResult("ambiguous", SHARED_NUMBER_REPLY)
        if not candidates:
            return InboundResult("unknown_sender")
        [org_id] = candidates
        request = await self._request(org_id, phone)
        assignment = (
            await self.session.get(Assignment, request.assignment_id) if request and request.assignment_id else None
        )
        staff = await self._staff(org_id, phone, assignment)
        if staff is None:
            return InboundResult("unknown_sender")
        word = first_word(text)
        if word in STOP:
            await PreferenceService(self.session).opt_out(org_id, "staff", staff.id)
            return InboundResult("opted_out")
        group = await self.session.get(Group, assignment.group_id) if assignment else None
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
        await self._forward(org_id, staff, phone, text, message_sid, group)
        return InboundResult("forwarded")

    async def _organizations(self, phone: str, to: str) -> set[uuid.UUID]:
        """The organization the text was sent to: the owner of the number `to`; for the default sender, each
        organization without a number of its own that knows `phone`."""
        number = _number(to)
        if number is not None:
            owner = await self.session.scalar(select(Organization.id).where(Organization.sms_number == number))
            if owner is not None:
                return {owner}
        shared = select(Organization.id).where(Organization.sms_number.is_(None))
        knowing = union(
            select(Notification.org_id).where(
                Notification.org_id.in_(shared), Notification.channel == "sms", Notification.recipient == phone,
                Notification.category == "assignment.request",
            ),
            select(StaffMember.org_id).where(StaffMember.org_id.in_(shared), StaffMember.phone == phone),
        )  # fmt: skip
        return set((await self.session.execute(knowing)).scalars())

    async def _request(self, org_id: uuid.UUID, phone: str) -> Notification | None:
        """The organization's latest request to this phone still waiting for an answer, else its latest."""
        sent = (
            select(Notification)
            .where(
                Notification.org_id == org_id,
                Notification.channel == "sms",
                Notification.recipient == phone,
                Notification.category == "assignment.request",
                Notification.status.not_in(REACHED),
            )
            .order_by(Notification.created_at.desc())
        )
        waiting = sent.join(Assignment, Assignment.id == Notification.assignment_id).where(
            Assignment.status == "proposed"
        )
        return await self.session.scalar(waiting.limit(1)) or await self.session.scalar(sent.limit(1))

    async def _staff(self, org_id: uuid.UUID, phone: str, assignment: Assignment | None) -> StaffMember | None:
        if assignment is not None:
            return await self.session.get(StaffMember, assignment.staff_id)
        query = select(StaffMember).where(StaffMember.org_id == org_id, StaffMember.phone == phone)
        return await self.session.scalar(query.order_by(StaffMember.created_at).limit(1))

    async def _forward(
        self, org_id: uuid.UUID, staff: StaffMember, phone: str, text: str, message_sid: str, group: Group | None
    ) -> None:
        """To the staff of the group the request was about, else (no request to go by) to the office and the
        organization's dispatch board; by email and as a staff-only room event."""
        seen = select(Notification.id).where(Notification.idempotency_key.like(f"inbound.sms:{message_sid}:%"))
        if await self.session.scalar(seen.limit(1)) is not None:
            return  # Twilio sent this message again: it was forwarded already
        outbox = NotificationService(self.session, self.bus, self.config)
        context = {
            "org": await who.org_view(self.session, org_id), "group": who.group_view(group) if group else None,
            "sender_name": staff.name, "sender_phone": phone, "text": text[:1000],
        }  # fmt: skip
        people: list[Recipient] = await (
            who.coordinators(self.session, group) if group else who.office(self.session, org_id)
        )
        for person in people:
            message = Message(
                "sms_forwarded", "inbound.sms", f"inbound.sms:{message_sid}:{person.kind}:{person.id}",
                context, channel="email", urgent=True, event_name="sms.received", group_id=group.id if group else None,
            )  # fmt: skip
            await outbox.notify(org_id, person, message)
        room: RoomKey = group_room(group.id) if group else BOARD
        # The board is the office's own room; in a group's room the reply is for its staff only.
        audience = (audience_room(room, STAFF_AUDIENCE),) if group else (BOARD,)
        await RoomLog(self.session, self.bus).append(
            SmsReplyReceived, org_id, None, room,
            {"audience": STAFF_AUDIENCE, "staff_id": str(staff.id), "staff_name": staff.name, "phone": phone,
             "text": text[:1000]},
            audience,
        )  # fmt: skip
