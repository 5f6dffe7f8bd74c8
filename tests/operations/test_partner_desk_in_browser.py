"""Hotel Avenida checks vouchers at the front desk in a browser."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import expect

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import PartnerCreate
from domains.vouchers.service import VoucherService
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import a_person, a_tour_group, bearer, sign_in


async def test_a_partner_validates_a_genuine_code_and_is_refused_a_forged_one(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    dana = bearer(await sign_in(http, await a_person(hub, tour.org, Role.DISPATCHER, "Dana")))
    hotel_desk = await a_person(hub, tour.org, Role.PARTNER, "Hotel Avenida")
    async with hub.unit_of_work(tour.org.id) as uow:
        hotel = await VoucherService(uow.session, uow.bus, VoucherCodes.from_secret(hub.tokens.secret)).add_partner(
            tour.org.id, PartnerCreate(name="Hotel Avenida", kind="hotel", city="Lisbon", user_id=hotel_desk.user.id)
        )
    stay = {
        "type": "hotel",
        "partner_id": str(hotel.id),
        "check_in": "2027-04-10",
        "check_out": "2027-04-14",
        "rooms": [{"type": "double", "count": 6}, {"type": "single", "count": 2}],
        "meal_plan": "HB",
    }
    voucher = (await http.post(f"/api/v1/groups/{tour.group.id}/vouchers", json=stay, headers=dana)).json()
    for status in ("confirmed", "distributed"):
        await http.post(f"/api/v1/vouchers/{voucher['id']}/transition", json={"to": status}, headers=dana)
    number = voucher["code"].split(".")[0]
    forged = VoucherCodes.from_secret("a-guessed-secret-" + "y" * 40).sign(uuid.UUID(voucher["id"]), number)

    page = await signed_in_page(hotel_desk, viewport={"width": 390, "height": 844})
    await expect(page).to_have_url("/partner")
    upcoming = page.locator(f'#upcoming li[data-voucher-id="{voucher["id"]}"]')
    await expect(upcoming).to_contain_text(number)
    await expect(upcoming).to_contain_text("6 × double, 2 × single")

    code = page.get_by_label("Voucher code")
    await code.fill(voucher["code"])
    await page.get_by_role("button", name="Check").click()
    result = page.locator("#validate-result .result")
    await expect(result).to_have_attribute("data-outcome", "valid")
    await expect(result).to_contain_text("Valid voucher")
    await expect(result).to_contain_text(number)
    await screenshot(page, "genuine")

    await code.fill(forged)
    await page.get_by_role("button", name="Check").click()
    await expect(result).to_have_attribute("data-outcome", "refused")
    await expect(result).to_contain_text("Not a genuine voucher")
    await expect(result).to_contain_text("signature")
    await screenshot(page, "forged")

    # Redeeming uses it up: the next check says so, with the reason.
    await code.fill(voucher["code"])
    await page.get_by_label("Mark the service as used").check()
    await page.get_by_role("button", name="Check").click()
    await expect(result).to_have_attribute("data-outcome", "redeemed")
    await page.get_by_role("button", name="Check").click()
    await expect(result).to_have_attribute("data-outcome", "refused")
    await expect(result).to_contain_text("already redeemed")
