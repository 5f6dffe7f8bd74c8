"""A traveler's emergency reaches a coordinator who is not in the room by SMS, and shows on the dispatch board
until someone acknowledges it.

This module's hub runs on a database of its own and sends SMS through the real Twilio client to a local
stand-in: the test delivers the outbox itself, and nobody else's messages may be in it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import ViewportSize, expect
from sqlalchemy import func, select

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import CACHE_FILE, product_classifier
from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Notification
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from hub.worker.channels import build_channels
from hub.worker.outbox import deliver_pending
from tests.support.backends import Backend, a_private_backend
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import a_person, a_tour_group
from tests.support.providers import Recorded, RecordingProvider, recording_provider
from tests.support.server import RunningHub, running_hub

PHONE = ViewportSize(width=390, height=844)
CARLA_PHONE = "+351912000006"
HELP = "Help! My wife fell and is bleeding"


def twilio(url: str) -> dict[str, Any]:
    return {
        "twilio_account_sid": "AC" + "5" * 32, "twilio_auth_token": "twilio-test-token", "twilio_from": "+15005550006",
        "twilio_base_url": url, "provider_timeout_seconds": 5.0,
    }  # fmt: skip


@pytest.fixture(scope="module")
def provider() -> Iterator[RecordingProvider]:
    with recording_provider() as running:
        yield running


@pytest.fixture(scope="module")
async def own_backend(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    """A database of the backend's kind for this module alone."""
    async with a_private_backend(backend, tmp_path_factory.mktemp("alerts")) as private:
        yield private


@pytest.fixture(scope="module")
async def server(
    own_backend: Backend, provider: RecordingProvider, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningHub]:
    """The browser fixtures' hub, here on this module's database and sending SMS to the Twilio stand-in."""
    settings = own_backend.settings(
        tmp_path_factory.mktemp("alerts-server"), socket_ping_interval_seconds=1, socket_ping_timeout_seconds=2,
        socket_event_burst=10_000, socket_events_per_second=10_000, **twilio(provider.url),
    )  # fmt: skip
    async with running_hub(settings) as running:
        yield running


@pytest.fixture
async def hub(own_backend: Backend, provider: RecordingProvider, data_dir: Path) -> AsyncIterator[Hub]:
    instance = Hub(own_backend.settings(data_dir, **twilio(provider.url)))
    try:
        yield instance
    finally:
        await instance.close()


@pytest.fixture(scope="session")
async def intents() -> IntentClassifier:
    """The product intent classifier from the hub's usual cache (var/ai), trained there on first use only."""
    return await asyncio.to_thread(product_classifier)


async def sms_to(provider: RecordingProvider, hub: Hub, phone: str) -> Recorded:
    """Deliver the outbox (as the hub's job would) until an SMS to `phone` has reached the stand-in."""
    channels = build_channels(hub.settings)
    while True:
        await deliver_pending(hub, channels)
        found = [sms for sms in provider.sms() if sms.form().get("To") == phone]
        if found:
            return found[0]
        await asyncio.sleep(0.2)


async def test_a_travelers_emergency_reaches_the_coordinator_by_sms_and_stays_on_the_board_until_acknowledged(
    hub: Hub,
    server: RunningHub,
    intents: IntentClassifier,
    provider: RecordingProvider,
    signed_in_page: SignedInPage,
    screenshot: Screenshot,
) -> None:
    intents.save(server.settings.data_dir / "ai" / CACHE_FILE)  # the hub's assistant loads it, no training
    tour = await a_tour_group(hub)  # Lisbon Spring: guide Ana, traveler Tom
    async with hub.unit_of_work(tour.org.id) as uow:  # Carla coordinates it, with her phone on file
        carla = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id,
            StaffCreate(name="Carla", role="coordinator", phone=CARLA_PHONE, user_id=tour.coordinator.user.id),
        )
        await AssignmentService(uow.session, uow.bus).assign(
            tour.group.id,
            AssignmentCreate(
                staff_id=carla.id, role="coordinator", start_date=tour.group.start_date, end_date=tour.group.end_date
            ),
        )
    dana = await a_person(hub, tour.org, Role.DISPATCHER, "Dana")

    board = await signed_in_page(dana)
    await board.goto(f"/board?from={tour.group.start_date.isoformat()}")
    await expect(board.locator("#conn-status")).to_have_text("connected")
    await expect(board.locator("#board-rows")).to_have_attribute("data-loaded", "1")
    await expect(board.locator("#alerts-panel")).to_be_hidden()

    # Tom, on his phone, tells the assistant. Carla is not online, nor is anyone else of the group.
    tom = await signed_in_page(tour.traveler, PHONE)
    await expect(tom.locator("#conn-status")).to_have_text("connected")
    await tom.get_by_label("Question for the assistant").fill(HELP)
    await tom.get_by_role("button", name="Ask").click()
    await expect(tom.locator("#bot li.msg.bot:not(.pending)")).to_have_count(2, timeout=30_000)
    await screenshot(tom, "traveler")

    # Carla's phone gets the SMS, through the real Twilio client.
    sms = (await sms_to(provider, hub, CARLA_PHONE)).form()
    assert sms["Body"].startswith("EMERGENCY ") and HELP in sms["Body"] and tour.group.name in sms["Body"]

    # The dispatcher's board shows it live, with what Tom said and who was told how.
    panel = board.locator("#alerts-panel")
    await expect(panel).to_be_visible()
    card = panel.locator("li.alert-card", has_text="Tom")
    await expect(card).to_contain_text(HELP)
    await expect(card).to_contain_text("Emergency")
    await expect(card).to_contain_text("Told: Carla (SMS)")
    row = board.locator(f"#board-rows tr[data-group-id='{tour.group.id}']")
    await expect(row.locator(".alert-flag")).to_have_text("⚠ 1 open alert")
    await screenshot(board, "alert")

    # Carla opens her alerts on her phone and acknowledges: the board hears who has it in hand.
    inbox = await signed_in_page(tour.coordinator, PHONE)
    await inbox.goto("/alerts")
    await expect(inbox.locator("#inbox")).to_have_attribute("data-loaded", "1")
    mine = inbox.locator("li.alert-card", has_text=HELP)
    await expect(mine).to_have_count(1)
    await screenshot(inbox, "inbox")
    await mine.get_by_role("button", name="Acknowledge the alert from Tom (Lisbon Spring)").click()
    await expect(inbox.get_by_text("No open alerts. All is in hand.")).to_be_visible()
    await inbox.get_by_label("Show acknowledged alerts too").check()
    await expect(inbox.locator("li.alert-card.alert-done")).to_contain_text("Acknowledged by Carla")
    assert await inbox.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await screenshot(inbox, "acknowledged")

    await expect(panel).to_be_hidden()
    await expect(row.locator(".alert-flag")).to_have_count(0)
    await screenshot(board, "after")


async def test_a_guide_who_has_the_app_open_sees_the_emergency_at_once_and_no_sms_goes_out(
    hub: Hub,
    server: RunningHub,
    intents: IntentClassifier,
    provider: RecordingProvider,
    signed_in_page: SignedInPage,
    screenshot: Screenshot,
) -> None:
    intents.save(server.settings.data_dir / "ai" / CACHE_FILE)
    tour = await a_tour_group(hub, "Porto Autumn")  # guide Ana works it; its coordinator has a phone on file
    async with hub.unit_of_work(tour.org.id) as uow:
        carla = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id,
            StaffCreate(name="Carla", role="coordinator", phone="+351912000016", user_id=tour.coordinator.user.id),
        )
        await AssignmentService(uow.session, uow.bus).assign(
            tour.group.id,
            AssignmentCreate(
                staff_id=carla.id, role="coordinator", start_date=tour.group.start_date, end_date=tour.group.end_date
            ),
        )

    ana = await signed_in_page(tour.guide, PHONE)  # her trip page, on her phone
    await expect(ana.locator("#conn-status")).to_have_text("connected")
    tom = await signed_in_page(tour.traveler, PHONE)
    await expect(tom.locator("#conn-status")).to_have_text("connected")
    await tom.get_by_label("Question for the assistant").fill(HELP)
    await tom.get_by_role("button", name="Ask").click()
    await expect(tom.locator("#bot li.msg.bot:not(.pending)")).to_have_count(2, timeout=30_000)

    notice = ana.locator(".alert-notice")
    await expect(notice).to_contain_text("Emergency: Tom (Porto Autumn)")
    await expect(notice).to_contain_text(HELP)
    await screenshot(ana, "notice")
    await notice.get_by_role("link", name="Open alerts").click()
    card = ana.locator("li.alert-card", has_text=HELP)
    await expect(card).to_contain_text("Told: Ana (in the app)")
    await card.get_by_role("button", name="Acknowledge the alert from Tom (Porto Autumn)").click()
    await expect(ana.get_by_text("No open alerts. All is in hand.")).to_be_visible()

    # Ana saw it: nobody was sent an SMS or an email about it, and the acknowledged alert escalates no further.
    await deliver_pending(hub, build_channels(hub.settings))
    assert [sms for sms in provider.sms() if sms.form().get("To") == "+351912000016"] == []
    async with hub.unit_of_work(tour.org.id) as uow:
        queued = await uow.session.scalar(
            select(func.count()).where(
                Notification.group_id == tour.group.id, Notification.category == "escalation.alert"
            )
        )
    assert queued == 0
