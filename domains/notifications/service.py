"""Queueing notifications in the transactional outbox; delivery happens after commit, in a worker.

`notify` turns one message for one person into outbox rows: it honours the person's preferences
(opt-out, channels, language, quiet hours), renders the template, checks the address and picks the
organization's sender. `enqueue` writes one row, idempotently.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.models import Notification, NotificationPreference
from domains.notifications.addresses import BadAddress, e164, email_address, fit_sms
from domains.notifications.preferences import PreferenceService, quiet_release
from domains.notifications.senders import SenderDirectory
from domains.notifications.templates import language_for, render

log = logging.getLogger(__name__)
KEY_LENGTH = 200


@dataclass(frozen=True)
class NotificationConfig:
    mail_domain: str = "spirithub.example"
    quiet_hours: str = "21:00-08:00"


@dataclass(frozen=True)
class Recipient:
    """A person we write to; `kind`/`id` find their preferences (staff, partner or user)."""

    kind: str
    id: uuid.UUID | None
    name: str
    email: str | None = None
    phone: str | None = None
    preferred: str | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """One message type for one cause; `key` names the cause (the idempotency key adds channel and address)."""

    message_type: str
    category: str
    key: str
    context: dict[str, Any]
    channel: str = "email"  # the natural channel for this message; the recipient's preferences win
    urgent: bool = False
    event_name: str | None = None
    language: str | None = None  # fallback, e.g. the group's language
    timezone: str | None = None  # fallback for quiet hours, e.g. the group's timezone
    group_id: uuid.UUID | None = None
    assignment_id: uuid.UUID | None = None
    voucher_id: uuid.UUID | None = None
    attachment: dict[str, Any] | None = None
    not_before: datetime | None = None  # debounce: bursts of edits become one message


class NotificationService:
    def __init__(self, session: AsyncSession, bus: EventBus, config: NotificationConfig | None = None) -> None:
        self.session = session
        self.bus = bus
        self.config = config or NotificationConfig()

    async def notify(
        self, org_id: uuid.UUID, recipient: Recipient, message: Message, now: datetime | None = None
    ) -> list[Notification]:
        now = now or utcnow()
        preference = await PreferenceService(self.session).find(recipient.kind, recipient.id) if recipient.id else None
        language = language_for(preference.language if preference else None, *recipient.languages, message.language)
        queued: list[Notification] = []
        for channel in self._channels(recipient, message, preference):
            address = (recipient.email if channel == "email" else recipient.phone) or ""
            fields: dict[str, Any] = {
                "language": language,
                "urgent": message.urgent,
                "event_name": message.event_name,
                "group_id": message.group_id,
                "assignment_id": message.assignment_id,
                "voucher_id": message.voucher_id,
            }
            subject, body = "", ""
            try:
                if not address:
                    raise BadAddress(f"{recipient.name} has no email address or phone number on file")
                address = email_address(address) if channel == "email" else e164(address)
                rendered = render(
                    message.message_type, language, {**message.context, "recipient": {"name": recipient.name}}
                )
                if channel == "email":
                    subject, body = rendered.subject, rendered.text
                    fields |= {"html_body": rendered.html or None, "attachment": message.attachment}
                else:
                    body, fields["note"] = fit_sms(rendered.sms)
                due = max(now, message.not_before or now)
                fields["next_attempt_at"] = due
                if preference is not None and preference.opted_out:
                    fields |= {"status": "skipped", "last_error": "the recipient opted out of notifications"}
                elif channel == "sms" and not message.urgent:
                    fields["next_attempt_at"] = self._after_quiet_hours(due, preference, message, fields)
            except (BadAddress, jinja2.TemplateError) as exc:
                # One unusable recipient fails its own row, with the reason, and blocks nobody else.
                fields |= {"status": "dead", "last_error": str(exc)[:1000]}
                address = address or f"({recipient.name})"
            row = await self.enqueue(
                org_id,
                key=f"{message.key}:{channel}:{address}",
                category=message.category,
                channel=channel,
                recipient=address,
                subject=subject,
                body=body,
                **fields,
            )
            if row is not None:
                queued.append(row)
        return queued

    async def enqueue(
        self,
        org_id: uuid.UUID,
        *,
        key: str,
        category: str,
        channel: str,
        recipient: str,
        subject: str,
        body: str,
        **fields: Any,
    ) -> Notification | None:
        """Queue one message; None when a notification with this idempotency key already exists."""
        key = key[:KEY_LENGTH]
        exists = await self.session.scalar(select(Notification.id).where(Notification.idempotency_key == key))
        if exists is not None:
            return None
        if channel == "email" and not fields.get("sender"):
            sender = await SenderDirectory(self.session, self.config.mail_domain).for_category(org_id, category)
            fields |= {"sender": sender.email, "sender_name": sender.name, "reply_to": sender.reply_to}
        if channel == "sms" and not fields.get("sender"):
            # From the organization's own number when it has one, so a reply finds the organization.
            number = await SenderDirectory(self.session, self.config.mail_domain).sms_number(org_id)
            fields |= {"sender": number} if number else {}
        if "status" not in fields:
            try:
                recipient = email_address(recipient) if channel == "email" else e164(recipient)
            except BadAddress as exc:
                fields |= {"status": "dead", "last_error": str(exc)}
        notification = Notification(
            id=uuid.uuid4(), org_id=org_id, idempotency_key=key, category=category, channel=channel,
            recipient=recipient, subject=subject[:300], body=body, **fields,
        )  # fmt: skip
        try:
            async with self.session.begin_nested():
                self.session.add(notification)
        except IntegrityError:
            return None  # a concurrent writer queued it first
        if notification.status == "dead":
            log.warning("notification refused", extra={"key": key, "reason": notification.last_error})
        return notification

    def _channels(self, recipient: Recipient, message: Message, preference: NotificationPreference | None) -> list[str]:
        """The recipient's chosen channels, else the message's natural one, else whatever address exists."""
        available = [c for c, a in (("email", recipient.email), ("sms", recipient.phone)) if a]
        if preference is not None and preference.channels:
            wanted = [c for c in preference.channels if c in available]
            if wanted:
                return wanted
        for channel in (message.channel, recipient.preferred):
            if channel in available:
                return [channel]
        return available[:1] or [message.channel]

    def _after_quiet_hours(
        self, now: datetime, preference: NotificationPreference | None, message: Message, fields: dict[str, Any]
    ) -> datetime:
        timezone = (preference.timezone if preference else None) or message.timezone
        window = self.config.quiet_hours
        if preference is not None and preference.quiet_start and preference.quiet_end:
            window = f"{preference.quiet_start}-{preference.quiet_end}"
        release = quiet_release(now, timezone, window)
        if release is None:
            return now
        note = f"held for quiet hours ({window} {timezone or 'UTC'}) until {release.isoformat(timespec='minutes')}"
        fields["note"] = "; ".join(filter(None, [fields.get("note"), note]))[:300]
        return release
