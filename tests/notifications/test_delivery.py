"""Delivery survives providers and workers failing: retried with backoff, dead after the maximum,
resumed after a crash, and never sent twice by two workers at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.models import Notification
from domains.notifications.service import NotificationService
from hub.worker.channels import build_channels
from hub.worker.outbox import claim_due, deliver_pending
from tests.notifications.conftest import provider_settings
from tests.support.backends import Backend
from tests.support.builders import an_organization
from tests.support.notification_world import LATER, a_mobile
from tests.support.providers import RecordingProvider


async def queue_texts(hub: Hub, count: int) -> tuple[object, list[str]]:
    org = await an_organization(hub)
    phones = [a_mobile() for _ in range(count)]
    async with hub.unit_of_work(org.id) as uow:
        outbox = NotificationService(uow.session, uow.bus)
        for n, phone in enumerate(phones):
            await outbox.enqueue(
                org.id, key=f"test:{org.id}:{n}", category="test", channel="sms", recipient=phone, subject="",
                body=f"message {n}",
            )  # fmt: skip
    return org.id, phones


async def rows_of(hub: Hub, org_id: object) -> list[Notification]:
    async with hub.unit_of_work(org_id) as uow:  # type: ignore[arg-type]
        return list((await uow.session.execute(select(Notification).order_by(Notification.body))).scalars())


async def test_a_failing_provider_is_retried_with_backoff_then_the_row_is_dead(
    wired_hub: Hub, provider: RecordingProvider
) -> None:
    org_id, [phone] = await queue_texts(wired_hub, 1)
    channels = build_channels(wired_hub.settings)
    provider.behaviours = ["500"] * 3
    now = LATER
    waits = []
    for attempt in (1, 2, 3):
        await deliver_pending(wired_hub, channels, now)
        [row] = await rows_of(wired_hub, org_id)
        assert row.attempts == attempt and "500" in (row.last_error or "")
        if attempt < 3:
            assert row.status == "pending"
            wait = (row.next_attempt_at - now).total_seconds()
            base = wired_hub.settings.outbox_backoff_base_seconds * 2**attempt
            assert base / 2 <= wait <= base  # exponential, with jitter
            waits.append(wait)
            # Not due yet: nothing is sent before the backoff has passed.
            await deliver_pending(wired_hub, channels, now + timedelta(seconds=wait / 2 - 0.01))
            assert len([r for r in provider.sms() if r.form()["To"] == phone]) == attempt
            now = row.next_attempt_at + timedelta(seconds=1)
    assert row.status == "dead" and row.sent_at is None
    assert len([r for r in provider.sms() if r.form()["To"] == phone]) == 3


async def test_a_provider_that_times_out_is_retried_and_then_succeeds(
    wired_hub: Hub, provider: RecordingProvider
) -> None:
    org_id, _ = await queue_texts(wired_hub, 1)
    channels = build_channels(wired_hub.settings)
    provider.behaviours = ["slow"]  # 3 s, the client waits 1 s
    await deliver_pending(wired_hub, channels, LATER)
    [row] = await rows_of(wired_hub, org_id)
    assert row.status == "pending" and row.attempts == 1 and "timed out" in (row.last_error or "").lower()
    await deliver_pending(wired_hub, channels, row.next_attempt_at)
    [row] = await rows_of(wired_hub, org_id)
    assert row.status == "sent" and row.attempts == 2 and row.provider_message_id


async def test_a_worker_that_dies_mid_delivery_is_resumed_after_its_lease(
    backend: Backend, data_dir: Path, provider: RecordingProvider
) -> None:
    settings = backend.settings(data_dir, **provider_settings(provider.url))
    crashed = Hub(settings)
    org_id, phones = await queue_texts(crashed, 3)
    # The first worker claims the rows, then dies before sending anything.
    claimed = [c for c in await claim_due(crashed, LATER) if c.message.to in phones]
    assert len(claimed) == 3
    await crashed.close()

    restarted = Hub(settings)
    try:
        channels = build_channels(settings)
        await deliver_pending(restarted, channels, LATER + timedelta(seconds=1))
        assert not [r for r in provider.sms() if r.form()["To"] in phones]  # still leased to the dead worker
        await deliver_pending(restarted, channels, LATER + timedelta(seconds=settings.outbox_claim_seconds + 1))
        rows = await rows_of(restarted, org_id)
    finally:
        await restarted.close()
    assert [(r.status, r.attempts) for r in rows] == [("sent", 2)] * 3
    assert sorted(r.form()["To"] for r in provider.sms() if r.form()["To"] in phones) == sorted(phones)


async def test_two_workers_at_once_send_each_row_exactly_once(
    backend: Backend, data_dir: Path, provider: RecordingProvider
) -> None:
    settings = backend.settings(data_dir, **provider_settings(provider.url))
    workers = [Hub(settings), Hub(settings)]
    try:
        org_id, phones = await queue_texts(workers[0], 60)
        channels = build_channels(settings)
        counts = await asyncio.gather(*(deliver_pending(worker, channels, LATER) for worker in workers))
        rows = await rows_of(workers[0], org_id)
    finally:
        for worker in workers:
            await worker.close()
    sent_to = [r.form()["To"] for r in provider.sms() if r.form()["To"] in phones]
    assert sorted(sent_to) == sorted(phones)  # every row once, none twice
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}
    assert sum(counts) >= 60
    print(f"two workers delivered {counts[0]} + {counts[1]} notifications ({backend.name})")
