"""In a real browser: Carla and Ana talk in Lisbon Spring's staff channel while Tom's page hears none of it;
then Tom writes privately to Carla, his coordinator, and she answers him from the group room."""

from __future__ import annotations

from playwright.async_api import Locator, Page, WebSocket, expect

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.kernel.runtime import Hub
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import TourGroup, a_tour_group

PASSPORT = "Tom lost his passport; I take him to the consulate at 10"


def message(page: Page, where: str, text: str) -> Locator:
    """Delivered messages (not those still sending) with exactly this text, in one conversation's panel."""
    return page.locator(f"{where} .chat-log > li:not(.pending)").filter(has=page.get_by_text(text, exact=True))


def tab(page: Page, name: str) -> Locator:
    return page.get_by_role("tab", name=name)


async def open_room(page: Page, tour: TourGroup) -> None:
    await page.goto(f"/groups/{tour.group.id}")
    await expect(page.locator("#conn-status")).to_have_text("connected")


def frames_of(page: Page) -> list[str]:
    """Every Socket.IO frame the page receives, to assert what never reaches it."""
    frames: list[str] = []

    def watch(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else ""))

    page.on("websocket", watch)
    return frames


async def test_staff_talk_in_the_staff_channel_that_a_travelers_page_never_receives(
    hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    carla, ana, tom = (
        await signed_in_page(tour.coordinator),
        await signed_in_page(tour.guide),
        await signed_in_page(tour.traveler),
    )
    tom_heard = frames_of(tom)
    await tom.goto("/me")
    await expect(tom.locator("#conn-status")).to_have_text("connected")
    await open_room(carla, tour)
    await open_room(ana, tour)

    # Carla opens the Staff tab and writes; Ana, on the group's chat, sees a count on her Staff tab.
    await tab(carla, "Staff").click()
    await carla.get_by_label("Message to the staff of Lisbon Spring").fill(PASSPORT)
    await carla.get_by_label("Message to the staff of Lisbon Spring").press("Enter")
    await expect(message(carla, "#chat-panels", PASSPORT)).to_have_count(1)
    await expect(tab(ana, "Staff, 1 new")).to_be_visible()
    await screenshot(ana, "unread")
    await tab(ana, "Staff, 1 new").click()
    await expect(message(ana, "#chat-panels", PASSPORT)).to_be_visible()
    await ana.get_by_label("Message to the staff of Lisbon Spring").fill("I'll keep the group at the museum")
    await ana.get_by_label("Message to the staff of Lisbon Spring").press("Enter")
    await expect(message(carla, "#chat-panels", "I'll keep the group at the museum")).to_be_visible()
    await screenshot(carla, "staff-channel")

    # Then, in the group's chat, what everyone may read: Tom's page gets it, and nothing of the staff's talk.
    await tab(carla, "Group").click()
    await carla.get_by_label("Message to Lisbon Spring").fill("Change of plan: museum until 12")
    await carla.get_by_label("Message to Lisbon Spring").press("Enter")
    await expect(message(tom, "#chat", "Change of plan: museum until 12")).to_be_visible()
    assert any("Change of plan" in frame for frame in tom_heard)
    assert not any("passport" in frame or "staff:" in frame for frame in tom_heard)
    await expect(tom.get_by_text(PASSPORT)).to_have_count(0)
    await screenshot(tom, "traveler")

    # Tom's own view of the group room has no Staff tab either, and the hub refuses him the channel.
    await open_room(tom, tour)
    await expect(tab(tom, "Group")).to_be_visible()
    await expect(tab(tom, "Staff")).to_have_count(0)
    await expect(tom.get_by_text(PASSPORT)).to_have_count(0)


async def test_a_traveler_writes_privately_to_the_coordinator_who_answers(
    hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    async with hub.unit_of_work(tour.org.id) as uow:  # Carla is on the team Tom sees
        staff = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id, StaffCreate(name="Carla", role="coordinator", user_id=tour.coordinator.user.id)
        )
        start, end = tour.group.start_date, tour.group.end_date
        await AssignmentService(uow.session, uow.bus).assign(
            tour.group.id, AssignmentCreate(staff_id=staff.id, role="coordinator", start_date=start, end_date=end)
        )
    carla, ana, tom = (
        await signed_in_page(tour.coordinator),
        await signed_in_page(tour.guide),
        await signed_in_page(tour.traveler),
    )
    await open_room(carla, tour)
    await open_room(ana, tour)
    await tom.goto("/me")
    await expect(tom.locator("#conn-status")).to_have_text("connected")

    # Tom writes to Carla from "Who to call"; Carla has not opened anything, a tab with his name appears.
    await tom.get_by_role("button", name="Message Carla").click()
    await tom.get_by_label("Message to Carla").fill("I lost my passport, what do I do?")
    await tom.get_by_label("Message to Carla").press("Enter")
    await expect(message(tom, "#dm-panels", "I lost my passport, what do I do?")).to_be_visible()
    await expect(tab(carla, "Tom, 1 new")).to_be_visible()
    await screenshot(carla, "new-message")
    await tab(carla, "Tom, 1 new").click()
    await expect(message(carla, "#chat-panels", "I lost my passport, what do I do?")).to_be_visible()
    await carla.get_by_label("Message to Tom").fill("Stay at the hotel, I'm calling you now")
    await carla.get_by_label("Message to Tom").press("Enter")
    await expect(message(tom, "#dm-panels", "Stay at the hotel, I'm calling you now")).to_be_visible()
    await screenshot(tom, "tom-answered")
    await screenshot(carla, "carla-answered")

    # Ana, in the same group room all along, has no such conversation.
    await expect(tab(ana, "Tom")).to_have_count(0)
    await expect(ana.get_by_text("I lost my passport, what do I do?")).to_have_count(0)

    # Carla can also start one from "Who is here": Ana is there.
    await carla.get_by_role("button", name="Message Ana").click()
    await expect(tab(carla, "Ana")).to_have_attribute("aria-selected", "true")
    await carla.get_by_label("Message to Ana").fill("Can you cover Tom's morning?")
    await carla.get_by_label("Message to Ana").press("Enter")
    await expect(tab(ana, "Carla, 1 new")).to_be_visible()
