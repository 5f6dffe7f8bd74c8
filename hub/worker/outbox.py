"""Delivering queued notifications: claim due rows, send them outside any transaction, record the outcome.

1. Claim (one short transaction): due `pending` rows are read `FOR UPDATE SKIP LOCKED` (PostgreSQL;
   SQLite's BEGIN IMMEDIATE serializes the claim instead), their attempt is counted and they are leased
   for `outbox_claim_seconds`. Two workers therefore never send the same row.
2. Send, off the event loop inside each channel, without holding a lock or a transaction open.
3. Record: sent (with the provider's message id), or retried after an exponential backoff with jitter,
   or `dead` after `outbox_max_attempts` / a permanent refusal. A worker that dies between 1 and 3
   leaves its rows leased; they are taken up again when the lease ends ("a restart resumes").
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.kernel.settings import Settings
from domains.models import Notification
from domains.notifications.attachments import render_attachment
from domains.notifications.escalation import Escalation
from domains.notifications.service import NotificationConfig
from domains.notifications.status import settle
from hub.worker.channels import Channel, Delivery, LocalOutbox, OutgoingMessage, PermanentFailure, build_channels
from hub.worker.scheduler import Job

__all__ = ["BATCH", "LocalOutbox", "backoff", "claim_due", "deliver_pending", "outbox_jobs"]

log = logging.getLogger(__name__)
BATCH = 50
PARALLEL_SENDS = 8
MAX_BATCHES_PER_RUN = 20  # a backlog drains within one run, yet one run never goes on forever
ESCALATION_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class Claimed:
    message: OutgoingMessage
    attempt: int


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    delivery: Delivery | None = None
    error: str | None = None
    permanent: bool = False


def backoff(settings: Settings, attempt: int) -> timedelta:
    """Exponential, capped, with "equal jitter" (half fixed, half random) so retries do not stampede."""
    delay = min(settings.outbox_backoff_max_seconds, settings.outbox_backoff_base_seconds * 2**attempt)
    return timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))  # noqa: S311 - not cryptographic


async def claim_due(hub: Hub, now: datetime, limit: int = BATCH) -> list[Claimed]:
    lease = timedelta(seconds=hub.settings.outbox_claim_seconds)
    claimed: list[Claimed] = []
    async with hub.unit_of_work() as uow:
        rows = (
            await uow.session.execute(
                select(Notification)
                .where(Notification.status == "pending", Notification.next_attempt_at <= now)
                .order_by(Notification.next_attempt_at, Notification.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + lease
            attachment = await render_attachment(uow.session, row.attachment) if row.channel == "email" else None
            message = OutgoingMessage(
                id=row.id, channel=row.channel, to=row.recipient, subject=row.subject, text=row.body,
                html=row.html_body, sender=row.sender, sender_name=row.sender_name, reply_to=row.reply_to,
                attachment=attachment, created_at=row.created_at,
            )  # fmt: skip
            claimed.append(Claimed(message, row.attempts))
    return claimed


async def _send(channel: Channel, claimed: Claimed, gate: asyncio.Semaphore) -> Outcome:
    async with gate:
        try:
            return Outcome(claimed, delivery=await channel.send(claimed.message))
        except PermanentFailure as exc:
            return Outcome(claimed, error=str(exc), permanent=True)
        except Exception as exc:  # noqa: BLE001 - any provider failure is retried, then recorded
            return Outcome(claimed, error=f"{type(exc).__name__}: {exc}")


async def _record(hub: Hub, outcomes: list[Outcome], now: datetime) -> int:
    settings = hub.settings
    delivered = 0
    async with hub.unit_of_work() as uow:
        for outcome in outcomes:
            row = await uow.session.get(Notification, outcome.claimed.message.id, with_for_update=True)
            if row is None or row.status != "pending" or row.attempts != outcome.claimed.attempt:
                continue  # deleted, or the lease ran out and another worker owns it now
            if outcome.error is None:
                delivery = outcome.delivery
                row.status, row.sent_at = "sent", now
                if delivery is not None:
                    row.provider, row.provider_message_id = delivery.provider, delivery.message_id
                    row.provider_status = row.provider_status or delivery.status
                settle(row)  # a delivery report may have arrived before this commit
                delivered += 1
                continue
            row.last_error = outcome.error[:1000]
            if outcome.permanent or row.attempts >= settings.outbox_max_attempts:
                row.status = "dead"
            else:
                row.next_attempt_at = now + backoff(settings, row.attempts)
            log.warning(
                "notification delivery failed",
                extra={"id": str(row.id), "attempt": row.attempts, "status": row.status, "error": row.last_error},
            )
    return delivered


async def deliver_pending(hub: Hub, channel: Channel, now: datetime | None = None) -> int:
    """Deliver every due notification once, batch by batch; returns how many were sent."""
    now = now or datetime.now(UTC)
    delivered = 0
    for _ in range(MAX_BATCHES_PER_RUN):
        claimed = await claim_due(hub, now)
        if claimed:
            gate = asyncio.Semaphore(PARALLEL_SENDS)
            outcomes = await asyncio.gather(*(_send(channel, item, gate) for item in claimed))
            delivered += await _record(hub, list(outcomes), now)
        if len(claimed) < BATCH:
            break
    return delivered


def outbox_jobs(hub: Hub, config: NotificationConfig) -> list[Job]:
    """Deliver the outbox through the configured channels; escalate unanswered assignment requests."""
    channels = build_channels(hub.settings)
    timeout = timedelta(minutes=hub.settings.confirmation_timeout_minutes)

    async def deliver() -> None:
        await deliver_pending(hub, channels, hub.clock())

    async def escalate() -> None:
        async with hub.unit_of_work() as uow:
            await Escalation(uow.session, uow.bus, config).escalate_overdue(hub.clock(), timeout)

    return [
        Job("outbox", hub.settings.outbox_interval_seconds, deliver),
        Job("escalations", ESCALATION_INTERVAL_SECONDS, escalate),
    ]
