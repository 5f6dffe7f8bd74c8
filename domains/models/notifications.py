from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class Notification(OrgScoped, Base):
    """The transactional outbox: written with the change that causes it, delivered afterwards by a worker.

    `idempotency_key` (event + recipient + channel) makes creating the same notification twice impossible.
    Status: pending → sent → delivered | failed (the provider's report); dead when delivery gave up or the
    recipient is unusable (`last_error` says why); skipped when the recipient opted out.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
        # Inbound SMS replies are matched to the latest request sent to that phone.
        Index("ix_notifications_recipient_created_at", "recipient", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(8))  # email | sms
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000), default=None)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # What caused it and what it is about.
    event_name: Mapped[str | None] = mapped_column(String(60), default=None)
    language: Mapped[str] = mapped_column(String(8), default="en")
    urgent: Mapped[bool] = mapped_column(default=False)
    group_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    voucher_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # How it goes out: the sender identity, the HTML part, an attachment rendered at delivery time
    # (e.g. {"kind": "rooming_list", "id": "..."}), and why an SMS is longer than 2 segments.
    sender: Mapped[str] = mapped_column(String(320), default="")
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to: Mapped[str | None] = mapped_column(String(320), default=None)
    html_body: Mapped[str | None] = mapped_column(Text, default=None)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    note: Mapped[str | None] = mapped_column(String(300), default=None)
    # What the provider said.
    provider: Mapped[str | None] = mapped_column(String(16), default=None)
    provider_message_id: Mapped[str | None] = mapped_column(String(120), default=None, index=True)
    provider_status: Mapped[str | None] = mapped_column(String(32), default=None)
    provider_status_at: Mapped[datetime | None] = mapped_column(default=None)


class NotificationPreference(OrgScoped, Base):
    """How one recipient (a staff member, partner or user) wants to hear from us."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("recipient_kind", "recipient_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    recipient_kind: Mapped[str] = mapped_column(String(16))  # staff | partner | user
    recipient_id: Mapped[uuid.UUID]
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: whatever we have an address for
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    quiet_start: Mapped[str | None] = mapped_column(String(5), default=None)  # "22:00", local time
    quiet_end: Mapped[str | None] = mapped_column(String(5), default=None)  # "08:00"
    opted_out: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SenderIdentity(OrgScoped, Base):
    """An organization's own sender addresses per desk (bookings, groups, dispatch, noreply, support)."""

    __tablename__ = "sender_identities"
    __table_args__ = (UniqueConstraint("org_id", "desk"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    desk: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SentReminder(OrgScoped, Base):
    """One row per reminder sent; the unique key makes each due reminder go out exactly once."""

    __tablename__ = "sent_reminders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    cadence: Mapped[str] = mapped_column(String(32))
    items: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
