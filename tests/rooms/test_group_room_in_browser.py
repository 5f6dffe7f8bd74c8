"""The group room in a real browser: a coordinator and a guide see each other live, and a guide who
drops off the network catches up on return with every message exactly once."""

from __future__ import annotations

import struct
import zlib

import httpx
from playwright.async_api import FilePayload, Locator, Page, expect

from domains.conversations.service import ConversationService
from domains.kernel.runtime import Hub
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import TourGroup, a_tour_group, bearer, sign_in
from tests.support.itinerary_steps import add, apply, principal_of


def chat_message(page: Page, text: str) -> Locator:
    """The delivered messages (not the ones still sending) whose text is exactly `text`."""
    return page.locator("#chat .chat-log > li:not(.pending)").filter(has=page.get_by_text(text, exact=True))


def item(page: Page, title: str) -> Locator:
    return page.locator(f'#itinerary li.item[aria-label="{title}"]')


async def open_room(page: Page, tour: TourGroup) -> None:
    await page.goto(f"/groups/{tour.group.id}")
    await expect(page.locator("#conn-status")).to_have_text("connected")
    await expect(page.locator("#itinerary .day").first).to_be_visible()


async def send(page: Page, text: str) -> None:
    await page.get_by_label("Message to Lisbon Spring").fill(text)
    await page.get_by_label("Message to Lisbon Spring").press("Enter")


async def test_a_coordinator_and_a_guide_see_each_other_live_and_catch_up_after_going_offline(
    hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    await apply(hub, tour.coordinator, tour.group.id, add("2027-04-10", "Belém tower", start="10:00"))
    carla = await signed_in_page(tour.coordinator)
    ana = await signed_in_page(tour.guide)
    await open_room(carla, tour)
    await open_room(ana, tour)

    # Presence: each sees the other online, one entry per person.
    await expect(carla.locator("#presence li.online", has_text="Ana")).to_have_count(1)
    await expect(ana.locator("#presence li.online", has_text="Carla")).to_have_count(1)

    # Typing and chat.
    await ana.get_by_label("Message to Lisbon Spring").press_sequentially("On my")
    await expect(carla.locator("#chat .chat-typing")).to_have_text("Ana is typing…")
    await ana.get_by_label("Message to Lisbon Spring").fill("")
    await send(carla, "The bus leaves at 8:30 from the hotel")
    await expect(chat_message(ana, "The bus leaves at 8:30 from the hotel")).to_have_count(1)

    # Co-editing: Ana moves the visit; Carla sees the new time in place, with who changed it.
    belem_for_ana = item(ana, "Belém tower")
    await belem_for_ana.get_by_label("Start time").fill("10:30")
    await belem_for_ana.get_by_label("Start time").press("Tab")
    belem_for_carla = item(carla, "Belém tower")
    await expect(belem_for_carla.get_by_label("Start time")).to_have_value("10:30")
    await expect(belem_for_carla.locator(".edited-by")).to_have_text("edited by Ana")
    # A change the hub refuses (ending before it starts) says why and puts the field back.
    await belem_for_ana.get_by_label("End time").fill("09:00")
    await belem_for_ana.get_by_label("End time").press("Tab")
    await expect(ana.locator("#toasts")).to_contain_text("Not saved")
    await expect(belem_for_ana.get_by_label("End time")).to_have_value("")
    # Carla adds an item; it appears for Ana.
    day_one = carla.locator('#itinerary .day[data-day="2027-04-11"]')
    await day_one.get_by_label("start time").fill("13:00")
    await day_one.get_by_label("title").fill("Lunch at Time Out Market")
    await day_one.get_by_role("button", name="Add").click()
    await expect(item(ana, "Lunch at Time Out Market")).to_have_count(1)
    # Ana moves the visit to another day (keyboard-reachable under "Place, notes, day").
    await belem_for_ana.get_by_text("Place, notes, day").click()
    await belem_for_ana.get_by_label("Day").select_option("2027-04-12")
    moved = carla.locator('#itinerary .day[data-day="2027-04-12"] li.item[aria-label="Belém tower"]')
    await expect(moved).to_have_count(1)
    await expect(carla.locator('#itinerary .day[data-day="2027-04-10"] li.item')).to_have_count(0)
    await screenshot(carla, "live")

    # Ana drops off the network; meanwhile Carla writes and edits, and Ana writes too.
    await ana.context.set_offline(True)
    await expect(ana.locator("#conn-status")).not_to_have_text("connected")
    await expect(carla.locator("#presence li.offline", has_text="Ana")).to_have_count(1)
    for n in range(1, 4):
        await send(carla, f"Update {n}: meet in the lobby")
    await item(carla, "Lunch at Time Out Market").get_by_label("Title").fill("Lunch at the market")
    await item(carla, "Lunch at Time Out Market").get_by_label("Title").press("Enter")
    await expect(item(carla, "Lunch at the market")).to_have_count(1)
    await send(ana, "Written while offline")
    await expect(ana.locator("#chat li.pending", has_text="Written while offline")).to_be_visible()
    await screenshot(ana, "offline")

    # Back online: reconnect, catch up through `since`, deliver the queued message, each exactly once.
    await ana.context.set_offline(False)
    await expect(ana.locator("#conn-status")).to_have_text("connected")
    for n in range(1, 4):
        await expect(chat_message(ana, f"Update {n}: meet in the lobby")).to_have_count(1)
    await expect(item(ana, "Lunch at the market")).to_have_count(1)
    await expect(item(ana, "Lunch at the market").locator(".edited-by")).to_have_text("edited by Carla")
    await expect(chat_message(carla, "Written while offline")).to_have_count(1)
    await expect(chat_message(ana, "Written while offline")).to_have_count(1)
    await expect(ana.locator("#chat li.pending")).to_have_count(0)
    await expect(carla.locator("#presence li.online", has_text="Ana")).to_have_count(1)
    # The page holds each message once and in the room's order.
    seqs = [int(s) for s in await ana.locator("#chat .chat-log > li").evaluate_all("ns => ns.map(n => n.dataset.seq)")]
    assert seqs == sorted(set(seqs))
    await screenshot(ana, "caught-up")


def a_png(width: int = 160, height: int = 90) -> bytes:
    """A small gradient PNG, built here so the test needs no fixture file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes((40 + x, 90 + y, 160)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# What a browser does when files are dropped on an element: a `drop` event carrying them.
DROP_FILES = """(target, files) => {
  const transfer = new DataTransfer();
  for (const [name, text] of files) transfer.items.add(new File([text], name));
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}"""
DRIVER = {"name": "Maria Leopoldina Bragança e Sousa Coutinho", "role": "driver", "phone": "+351 912 000 111"}
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


async def test_shared_files_show_as_previews_for_everyone_and_history_scrolls_back(
    hub: Hub, http: httpx.AsyncClient, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    carla_principal = principal_of(tour.coordinator)
    async with hub.unit_of_work(tour.org.id) as uow:
        chat = ConversationService(uow.session, uow.bus)
        for n in range(1, 121):
            await chat.post_message(carla_principal, "Carla", tour.room, f"seed-{n}", f"Earlier note {n}")
    carla = await signed_in_page(tour.coordinator)
    ana = await signed_in_page(tour.guide)
    await open_room(carla, tour)
    await open_room(ana, tour)

    # The latest page first; scrolling to the top loads older pages until the very first message.
    await expect(chat_message(ana, "Earlier note 120")).to_be_visible()
    await expect(chat_message(ana, "Earlier note 1")).to_have_count(0)
    scroller = ana.locator("#chat .chat-scroll")
    for _ in range(5):
        await scroller.evaluate("node => { node.scrollTop = 0; }")
        if await chat_message(ana, "Earlier note 1").count():
            break
        await ana.wait_for_timeout(300)
    await expect(chat_message(ana, "Earlier note 1")).to_have_count(1)
    await expect(ana.locator("#chat .chat-log > li")).to_have_count(120)

    # Carla edits one of her messages and deletes another; Ana's page changes them in place.
    latest = chat_message(carla, "Earlier note 120")
    await latest.get_by_role("button", name="Edit").click()
    await carla.get_by_label("Edit your message").fill("Earlier note 120, corrected")
    await carla.get_by_role("button", name="Save").click()
    await expect(chat_message(ana, "Earlier note 120, corrected").locator(".msg-edited")).to_have_text("edited")
    await chat_message(carla, "Earlier note 119").get_by_role("button", name="Delete").click()
    await expect(chat_message(ana, "Message deleted")).to_have_count(1)
    await expect(chat_message(ana, "Earlier note 119")).to_have_count(0)

    # Carla shares an image and a PDF with the picker; both pages show the previews.
    await carla.locator("#file-share input[type=file]").set_input_files(
        [
            FilePayload(name="bus-stop.png", mimeType="image/png", buffer=a_png()),
            FilePayload(name="hotel-voucher.pdf", mimeType="application/pdf", buffer=MINIMAL_PDF),
        ]
    )
    # Ana is up in the history: the page says there is something new below instead of jumping.
    await ana.get_by_role("button", name="New messages ↓").click()
    await expect(ana.get_by_role("button", name="New messages ↓")).to_be_hidden()
    for page in (carla, ana):
        image = page.locator("#chat figure.file-preview img[alt='bus-stop.png']")
        await expect(image).to_be_visible()
        await image.scroll_into_view_if_needed()  # previews load lazily, when scrolled to
        loaded = "img => img.complete && img.naturalWidth === 160"  # the real bytes, decoded
        await page.wait_for_function(loaded, arg=await image.element_handle(), timeout=5000)
        await expect(page.locator("#chat a.file-preview.pdf", has_text="hotel-voucher.pdf")).to_be_visible()
    await expect(carla.locator("#file-share .upload")).to_have_count(0)  # progress rows go once shared

    # Files dropped on the chat: a text file is shared; a program is refused with the hub's reason.
    await carla.locator("#chat-panel").evaluate(
        DROP_FILES, [["packing-list.txt", "passport, charger"], ["setup.exe", "MZ\u0090\u0000"]]
    )
    await expect(ana.locator("#chat a.file-preview.other", has_text="packing-list.txt")).to_have_count(1)
    refused = carla.locator("#file-share .upload.failed", has_text="setup.exe")
    await expect(refused).to_contain_text("cannot be shared")
    await refused.get_by_role("button", name="Dismiss").click()
    await expect(refused).to_have_count(0)

    # The office assigns a driver through the API: the team panel of both pages follows.
    office = bearer(await sign_in(http, tour.coordinator))
    driver = (await http.post("/api/v1/staff", json=DRIVER, headers=office)).json()
    dates = {"start_date": str(tour.group.start_date), "end_date": str(tour.group.end_date)}
    assigned = await http.post(
        f"/api/v1/groups/{tour.group.id}/assignments",
        json={"staff_id": driver["id"], "role": "driver", **dates},
        headers=office,
    )
    assert assigned.status_code == 201, assigned.text
    for page in (carla, ana):
        await expect(page.locator("#team .team-member", has_text=DRIVER["name"])).to_contain_text("driver")
    moved = await http.post(f"/api/v1/groups/{tour.group.id}/transition", json={"to": "planning"}, headers=office)
    assert moved.status_code == 200, moved.text
    await expect(ana.locator("#group-status")).to_have_text("planning")

    # On a 360 px phone the room is one column and nothing is wider than the screen.
    await ana.set_viewport_size({"width": 360, "height": 740})
    assert await ana.evaluate("document.documentElement.scrollWidth") <= 360
    await screenshot(ana)
