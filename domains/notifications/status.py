"""Provider delivery reports (Twilio status callbacks, SendGrid events) → each notification's status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.db import utcnow
from domains.models import Notification

DELIVERED = frozenset({"delivered", "read", "open", "click"})
FAILED = frozenset({"undelivered", "failed", "canceled", "dropped", "bounce", "blocked"})


@dataclass(frozen=True)
class StatusReport:
    provider: str
    status: str
    notification_id: str | None = None
    message_id: str | None = None
    reason: str | None = None
    at: datetime | None = None


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def settle(row: Notification, reason: str | None = None) -> None:
    """Let the provider's last word decide a sent row's status (a pending row waits for its send to be recorded)."""
    status = row.provider_status or ""
    if row.status not in ("sent", "delivered"):
        return
    if status in DELIVERED:
        row.status = "delivered"
    elif (status in FAILED and row.status != "delivered") or status in ("bounce", "dropped"):
        row.status = "failed"
        row.last_error = f"{row.provider or 'provider'}: {status}" + (f" ({reason})" if reason else "")


async def apply_report(session: AsyncSession, report: StatusReport) -> Notification | None:
    """Record the provider's word on one message; None when no notification matches."""
    row: Notification | None = None
    if (notification_id := _uuid(report.notification_id)) is not None:
        row = await session.get(Notification, notification_id, with_for_update=True)
    if row is None and report.message_id:
        # SendGrid's sg_message_id is "<X-Message-Id>.filter...": we stored the X-Message-Id part.
        message_id = report.message_id.split(".", 1)[0] if report.provider == "sendgrid" else report.message_id
        row = await session.scalar(
            select(Notification).where(Notification.provider_message_id == message_id).with_for_update()
        )
    if row is None:
        return None
    status = report.status.lower()
    if row.status == "delivered" and status not in DELIVERED | FAILED:
        return row  # reports arrive out of order: a late "sent" says nothing new
    row.provider_status, row.provider_status_at = status, report.at or utcnow()
    settle(row, report.reason)
    if report.message_id and not row.provider_message_id:
        row.provider_message_id = report.message_id[:120]
    await session.flush()
    return row
