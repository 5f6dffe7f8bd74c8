"""Dana watches the dispatch board in a browser while the office works through the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import httpx
from playwright.async_api import Locator, Page, expect

from domains.groups.schemas import GroupCreate
from domains.groups.service import GroupService
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import Person, TourGroup, a_person, a_tour_group, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub

APRIL = "/board?from=2027-04-01&to=2027-04-30"


@dataclass
class Office:
    tour: TourGroup  # "Lisbon Spring", 10–14 April 2027, guide Ana assigned
    dana: Person
    dana_login: dict[str, str]
    dmitri: Person
    dmitri_staff_id: str


async def an_office(hub: Hub, http: httpx.AsyncClient) -> Office:
    tour = await a_tour_group(hub)
    dana = await a_person(hub, tour.org, Role.DISPATCHER, "Dana")
    dmitri = await a_person(hub, tour.org, Role.DRIVER, "Dmitri")
    async with hub.unit_of_work(tour.org.id) as uow:
        staff = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id, StaffCreate(name="Dmitri", role="driver", user_id=dmitri.user.id, languages=["pt", "en"])
        )
    return Office(tour, dana, bearer(await sign_in(http, dana)), dmitri, str(staff.id))


async def another_group(hub: Hub, office: Office, name: str, start: date, end: date) -> Group:
    async with hub.unit_of_work(office.tour.org.id) as uow:
        return await GroupService(uow.session, uow.bus).create_group(
            office.tour.org.id, GroupCreate(name=name, start_date=start, end_date=end, cities=["Sintra"])
        )


async def assign_driver(http: httpx.AsyncClient, office: Office, group_id: object) -> httpx.Response:
    body = {"staff_id": office.dmitri_staff_id, "role": "driver", "start_date": "2027-04-10", "end_date": "2027-04-14"}
    return await http.post(f"/api/v1/groups/{group_id}/assignments", json=body, headers=office.dana_login)


def board_row(page: Page, group_id: object) -> Locator:
    return page.locator(f'tr[data-group-id="{group_id}"]')


async def open_board(signed_in_page: SignedInPage, office: Office) -> Page:
    page = await signed_in_page(office.dana)
    await expect(page).to_have_url("/board")
    await page.goto(APRIL)
    await expect(page.locator("#conn-status")).to_have_text("connected")
    return page


async def test_the_board_shows_a_driver_assigned_through_the_api_and_when_he_comes_online(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    office = await an_office(hub, http)
    page = await open_board(signed_in_page, office)
    row = board_row(page, office.tour.group.id)
    await expect(row.locator('[data-area="driver"]')).to_have_attribute("data-status", "critical")
    await expect(row.locator('[data-role="guide"]')).to_contain_text("Ana")

    assert (await assign_driver(http, office, office.tour.group.id)).status_code == 201

    # No reload: the board heard `board:update` and redrew the row.
    driver = row.locator('[data-role="driver"]')
    await expect(driver).to_contain_text("Dmitri")
    await expect(driver).to_contain_text("proposed")
    await expect(row.locator('[data-area="driver"]')).to_have_attribute("data-status", "normal")
    await expect(driver.locator(".dot")).not_to_have_class("dot dot-online")

    # Dmitri opens the app on his phone: the board shows him online.
    phone = LiveClient("Dmitri")
    await phone.connect(server.url, (await sign_in(http, office.dmitri))["access_token"])
    try:
        await expect(driver.locator(".dot")).to_have_class("dot dot-online")
        await screenshot(page)
    finally:
        await phone.close()
    await expect(driver.locator(".dot")).to_have_class("dot")


async def test_a_double_booking_from_the_board_shows_the_clash(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    office = await an_office(hub, http)
    sintra = await another_group(hub, office, "Sintra Day Trips", date(2027, 4, 12), date(2027, 4, 13))
    assert (await assign_driver(http, office, office.tour.group.id)).status_code == 201
    page = await open_board(signed_in_page, office)

    await board_row(page, sintra.id).get_by_role("button", name="Assign someone to Sintra Day Trips").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Role").select_option("driver")
    # Dmitri is busy, so he is not among the suggestions; the dispatcher picks him anyway.
    await expect(dialog.get_by_label("Someone else")).to_contain_text("Dmitri")
    await expect(dialog.locator(".suggestion[data-staff-id]")).to_have_count(0)
    await dialog.get_by_label("Someone else").select_option(label="Dmitri")
    await dialog.get_by_role("button", name="Assign", exact=True).click()

    clash = dialog.get_by_role("alert")
    await expect(clash).to_contain_text(
        f"Cannot assign Dmitri: Dmitri is already assigned to {office.tour.group.number} from 2027-04-10 to 2027-04-14"
    )
    await screenshot(page)
    await expect(board_row(page, sintra.id).locator('[data-area="driver"]')).to_have_attribute(
        "data-status", "critical"
    )


async def test_suggestions_show_their_reasons_and_assign_with_one_click(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    office = await an_office(hub, http)
    page = await open_board(signed_in_page, office)
    row = board_row(page, office.tour.group.id)

    await row.get_by_role("button", name="Assign someone to Lisbon Spring").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_label("Role")).to_have_value("driver")  # the most urgent missing role
    suggestion = dialog.locator(f'.suggestion[data-staff-id="{office.dmitri_staff_id}"]')
    await expect(suggestion.locator(".reasons li").first).to_be_visible()
    await screenshot(page, "suggestions")
    await suggestion.get_by_role("button", name="Assign Dmitri").click()

    await expect(dialog).to_be_hidden()
    await expect(row.locator('[data-role="driver"]')).to_contain_text("Dmitri")


async def test_filters_narrow_two_hundred_groups(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    office = await an_office(hub, http)
    async with hub.unit_of_work(office.tour.org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        for n in range(199):
            city = ["Porto", "Évora", "Faro"][n % 3]
            long_name = "Azulejos, Fado and the Long Road " * (3 if n == 7 else 1)
            await groups.create_group(
                office.tour.org.id,
                GroupCreate(
                    name=f"{long_name}{n}",
                    start_date=date(2027, 4, 1 + n % 28),
                    end_date=date(2027, 4, 2 + n % 28),
                    cities=[city],
                ),
            )
    page = await open_board(signed_in_page, office)
    await expect(page.locator("#board-rows tr[data-group-id]")).to_have_count(200)
    await screenshot(page, "all")

    await page.get_by_label("City").select_option("Faro")
    await expect(page.locator("#board-rows tr[data-group-id]")).to_have_count(66)
    await page.get_by_label("City").select_option("")
    await page.get_by_label("Status").select_option("ready")
    await expect(page.locator("#board-rows tr[data-group-id]")).to_have_count(0)
    await expect(page.get_by_text("No group matches these filters.")).to_be_visible()
    await page.get_by_label("Status").select_option("")
    await page.get_by_label("To", exact=True).fill("2027-04-05")
    await page.get_by_label("To", exact=True).dispatch_event("change")
    # 38 of the 199 start by 5 April (5 start days in each 28-day cycle, and 3 more); Lisbon Spring starts later.
    await expect(page.locator("#board-rows tr[data-group-id]")).to_have_count(38)
    await expect(page).to_have_url(re.compile(r"to=2027-04-05"))  # the filters survive a reload


async def test_on_a_phone_the_board_fits_the_screen_even_with_long_names(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    office = await an_office(hub, http)
    endless = "Grand-Tour-of-the-Portuguese-Atlantic-Coast-with-Wine-Tasting-and-Fado-Evenings-" * 2
    await another_group(hub, office, endless, date(2027, 4, 20), date(2027, 4, 25))
    async with hub.unit_of_work(office.tour.org.id) as uow:
        await StaffService(uow.session, uow.bus).add_staff(
            office.tour.org.id, StaffCreate(name="Maria da Conceição Albuquerque-Vasconcelos Teixeira", role="guide")
        )
    page = await signed_in_page(office.dana, viewport={"width": 360, "height": 740})
    await page.goto(APRIL)
    await expect(page.locator("#board-rows tr[data-group-id]")).to_have_count(2)

    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    await screenshot(page, "board")
    await page.get_by_role("button", name=f"Assign someone to {endless}").click()
    await expect(page.get_by_role("dialog").get_by_text("Maria da Conceição")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    await screenshot(page, "dialog")
