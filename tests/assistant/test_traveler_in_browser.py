"""The traveler's view on a phone: the plan in the group's local time with map links, the guide and
driver to call, the group chat, and no way into another group's room by URL."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import ViewportSize, expect

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import CACHE_FILE, product_classifier
from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.kernel.runtime import Hub
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import TourGroup, a_tour_group
from tests.support.itinerary_steps import add, apply
from tests.support.server import RunningHub


@pytest.fixture(scope="session")
async def intents() -> IntentClassifier:
    """The product intent classifier from the hub's usual cache (var/ai), trained there on first use only."""
    return await asyncio.to_thread(product_classifier)


@pytest.fixture
def assistant(server: RunningHub, intents: IntentClassifier) -> None:
    """The running hub's assistant finds the loaded classifier in its cache, so no question waits for training."""
    intents.save(server.settings.data_dir / "ai" / CACHE_FILE)


PHONE = ViewportSize(width=390, height=844)
BELEM = {"name": "Torre de Belém", "address": "Av. Brasília, 1400-038 Lisboa", "lat": 38.6916, "lon": -9.216}


async def a_driver(hub: Hub, tour: TourGroup, name: str, phone: str) -> None:
    async with hub.unit_of_work(tour.org.id) as uow:
        staff = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id, StaffCreate(name=name, role="driver", phone=phone)
        )
        await AssignmentService(uow.session, uow.bus).assign(
            tour.group.id,
            AssignmentCreate(
                staff_id=staff.id, role="driver", start_date=tour.group.start_date, end_date=tour.group.end_date
            ),
        )


async def test_a_traveler_on_a_phone_sees_the_plan_and_the_team_and_cannot_open_another_group(
    hub: Hub, assistant: None, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    other = await a_tour_group(hub, "Porto Autumn", org=tour.org)
    await a_driver(hub, tour, "Duarte Sebastião Figueiredo de Albuquerque e Vasconcelos", "+351 912 345 678")
    belem = add("2027-04-10", "Belém tower", start="10:00", end="11:30", kind="visit", place=BELEM)
    dinner = add("2027-04-10", "Welcome dinner", after=belem["item_id"], start="19:30", kind="meal",
                 place={"name": "Cervejaria Ramiro"})  # fmt: skip
    for op in (belem, dinner):
        await apply(hub, tour.coordinator, tour.group.id, op)

    tom = await signed_in_page(tour.traveler, PHONE)
    await expect(tom).to_have_url("/me")
    await expect(tom.get_by_role("heading", name="Lisbon Spring")).to_be_visible()
    await expect(tom.locator("#conn-status")).to_have_text("connected")

    # The plan: local times, the place, and a map link (coordinates → a pin; a name → a search).
    belem_card = tom.locator("#itinerary li.item", has_text="Belém tower")
    await expect(belem_card.locator(".item-time")).to_have_text("10:00–11:30")
    await expect(belem_card.get_by_role("link", name="Map of Torre de Belém")).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=38.6916&mlon=-9.216#map=17/38.6916/-9.216"
    )
    dinner_card = tom.locator("#itinerary li.item", has_text="Welcome dinner")
    await expect(dinner_card.get_by_role("link", name="Map of Cervejaria Ramiro")).to_have_attribute(
        "href", "https://www.openstreetmap.org/search?query=Cervejaria%20Ramiro"
    )
    await expect(tom.get_by_text("Times are local to the group (UTC).")).to_be_visible()
    # Travelers read the plan; they get no editor.
    await expect(tom.locator("#itinerary input")).to_have_count(0)

    # The team: the guide and the driver, the driver with a tap-to-call link.
    team = tom.locator("#team")
    await expect(team.locator(".team-member", has_text="Ana")).to_contain_text("guide")
    driver = team.locator(".team-member", has_text="Duarte")
    await expect(driver.get_by_role("link", name="Call Duarte")).to_have_attribute("href", "tel:+351912345678")

    # Nothing is wider than the phone, long names included.
    assert await tom.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The group chat works from the phone.
    await tom.get_by_label("Message to Lisbon Spring").fill("Is breakfast included?")
    await tom.get_by_label("Message to Lisbon Spring").press("Enter")
    await expect(tom.locator("#chat .chat-log > li:not(.pending)", has_text="Is breakfast included?")).to_have_count(1)
    await screenshot(tom)

    # The assistant answers in its own chat (the intent model runs offline on the hub).
    await tom.get_by_label("Question for the assistant").fill("Who is my guide?")
    await tom.get_by_role("button", name="Ask").click()
    replies = tom.locator("#bot li.msg.bot:not(.pending)")
    await expect(replies).to_have_count(2, timeout=20_000)  # the greeting, then the answer
    await expect(tom.locator("#bot li.msg.error")).to_have_count(0)
    await expect(replies.last).not_to_be_empty()
    await screenshot(tom, "assistant")

    # Another group's room, by URL: the server refuses the page, and the API refuses the data.
    response = await tom.goto(f"/groups/{other.group.id}")
    assert response is not None and response.status == 404
    await expect(tom.get_by_text("This group does not exist or is not one of yours.")).to_be_visible()
    api = await tom.request.get(f"/api/v1/groups/{other.group.id}/itinerary")
    assert api.status == 403
    assert (await tom.request.get(f"/api/v1/groups/{other.group.id}/team")).status == 403
    await screenshot(tom, "refused")


async def test_a_traveler_who_asks_the_assistant_for_a_person_is_answered_by_the_coordinator_in_the_group_chat(
    hub: Hub, assistant: None, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    carla = await signed_in_page(tour.coordinator)
    await carla.goto(f"/groups/{tour.group.id}")
    await expect(carla.locator("#conn-status")).to_have_text("connected")
    tom = await signed_in_page(tour.traveler, PHONE)
    await expect(tom.locator("#conn-status")).to_have_text("connected")

    await tom.get_by_label("Question for the assistant").fill("I want to talk to a real person please")
    await tom.get_by_role("button", name="Ask").click()
    await expect(tom.locator("#bot li.msg.bot:not(.pending)")).to_have_count(2, timeout=20_000)

    # The coordinator sees the hand-off in the room, with what Tom asked.
    card = carla.locator("#chat li.handoff")
    await expect(card).to_contain_text("Tom needs a person")
    await expect(card).to_contain_text("Asked the assistant for a person.")
    await card.get_by_text("What they asked the assistant").click()
    await expect(card).to_contain_text("I want to talk to a real person please")
    await screenshot(carla, "handoff")
    # …and answers in the group chat, which Tom reads on his phone; he sees no hand-off card himself.
    await carla.get_by_label("Message to Lisbon Spring").fill("Hi Tom, Carla here. Calling you in a minute.")
    await carla.get_by_label("Message to Lisbon Spring").press("Enter")
    await expect(tom.locator("#chat .msg-text", has_text="Calling you in a minute.")).to_have_count(1)
    await expect(tom.locator("#chat li.handoff")).to_have_count(0)
    await screenshot(tom, "answered")
