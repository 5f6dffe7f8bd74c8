"""Signing in and out in a real browser: wrong passwords, the two-factor step, sign-out."""

from __future__ import annotations

import re

import httpx
import pyotp
import pytest
from playwright.async_api import expect

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.browser import NewPage, Screenshot, SignedInPage
from tests.support.builders import a_person, an_organization, bearer, next_code, sign_in


async def test_a_wrong_password_shows_the_error_and_keeps_the_form(
    hub: Hub, new_page: NewPage, screenshot: Screenshot
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    page = await new_page()

    await page.goto("/board")  # not signed in: sent to sign in, and back here afterwards
    await expect(page).to_have_url("/signin?next=/board")
    await page.get_by_label("Email").fill(dana.email)
    await page.get_by_label("Password").fill("not her password")
    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("alert")).to_have_text("invalid email or password")
    await expect(page.get_by_label("Email")).to_have_value(dana.email)
    await screenshot(page)

    await page.get_by_label("Password").fill(dana.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url("/board")
    await expect(page.locator(".who-name")).to_have_text("Dana")


@pytest.mark.parametrize("trap", ["/%09/evil.example/phish", "/%0a/evil.example/phish", "/%5C/evil.example/phish"])
async def test_a_sign_in_link_cannot_send_anyone_to_another_site(
    hub: Hub, new_page: NewPage, screenshot: Screenshot, trap: str
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    page = await new_page()
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    # A phishing mail links to our sign-in page with a `next` that browsers would read as another site.
    await page.goto(f"/signin?next={trap}")
    await page.get_by_label("Email").fill(dana.email)
    await page.get_by_label("Password").fill(dana.password)
    await page.get_by_role("button", name="Sign in").click()

    await expect(page).to_have_url("/board")
    await expect(page.locator(".who-name")).to_have_text("Dana")
    await expect(page.locator("#board-summary")).to_contain_text("groups shown")
    await screenshot(page)
    assert not [url for url in visited if "evil.example" in url.split("?")[0]]


async def test_two_factor_sign_in_asks_for_the_code_in_a_second_step(
    http: httpx.AsyncClient, hub: Hub, new_page: NewPage, screenshot: Screenshot
) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    tokens = bearer(await sign_in(http, carla))
    secret = (await http.post("/api/v1/auth/totp/setup", headers=tokens)).json()["secret"]
    await http.post("/api/v1/auth/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=tokens)
    page = await new_page()

    await page.goto("/signin")
    await page.get_by_label("Email").fill(carla.email)
    await page.get_by_label("Password").fill(carla.password)
    await page.get_by_role("button", name="Sign in").click()

    code = page.get_by_label("One-time code")
    await expect(code).to_be_focused()
    await expect(page.get_by_label("Password")).to_be_hidden()
    await screenshot(page, "code-step")
    await code.fill("000000")
    await page.get_by_role("button", name="Verify code").click()
    await expect(page.get_by_role("alert")).to_contain_text("one-time code is wrong")
    await code.fill(next_code(secret))
    await page.get_by_role("button", name="Verify code").click()
    await expect(page).to_have_url("/board")


async def test_signing_out_ends_the_session(hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot) -> None:
    org = await an_organization(hub)
    paula = await a_person(hub, org, Role.PARTNER, "Paula")
    page = await signed_in_page(paula)
    await expect(page).to_have_url("/partner")

    await page.get_by_role("link", name="Sign out").click()

    await expect(page).to_have_url("/signin?signed_out=1")
    await expect(page.get_by_text("You are signed out.")).to_be_visible()
    await screenshot(page)
    await page.goto("/partner")
    await expect(page).to_have_url("/signin?next=/partner")


async def test_when_the_session_ends_the_page_says_so_and_offers_to_sign_in_again(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    page = await signed_in_page(dana)
    await expect(page.locator("#conn-status")).to_have_text("connected")
    access = next(c["value"] for c in await page.context.cookies() if c["name"] == "hub_session")

    # The session ends on the server (here: signed out with its own token, as an admin tool would).
    assert (await http.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {access}"})).status_code == 204

    # The hub drops the board's socket; renewing fails; the page says why and goes to sign in.
    await expect(page.get_by_text("Your session has expired — sign in again").first).to_be_visible()
    await screenshot(page, "toast")
    await expect(page).to_have_url("/signin?expired=1&next=%2Fboard")
    await expect(page.locator("#signin-notice")).to_have_text("Your session has expired — sign in again.")
    await screenshot(page, "signin")
    await page.get_by_label("Email").fill(dana.email)
    await page.get_by_label("Password").fill(dana.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url("/board")


async def test_an_expired_access_cookie_is_renewed_without_asking_again(hub: Hub, signed_in_page: SignedInPage) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    page = await signed_in_page(dana)
    # The browser drops the access cookie when its token expires; the refresh cookie lives on.
    session = next(c for c in await page.context.cookies() if c["name"] == "hub_session")
    await page.context.clear_cookies(name="hub_session")

    await page.goto("/board?from=2027-01-01")

    await expect(page).to_have_url("/board?from=2027-01-01")
    await expect(page.locator("#conn-status")).to_have_text("connected")
    renewed = next(c for c in await page.context.cookies() if c["name"] == "hub_session")
    assert renewed["value"] != session["value"]


async def test_staff_set_up_two_factor_sign_in_when_their_organization_requires_it(
    http: httpx.AsyncClient, hub: Hub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    org = await an_organization(hub)
    admin = bearer(await sign_in(http, await a_person(hub, org, Role.ADMIN, "Alex")))
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    policy = await http.put("/api/v1/organization/security", json={"require_totp_for_staff": True}, headers=admin)
    assert policy.status_code == 200

    page = await signed_in_page(carla)
    await expect(page).to_have_url("/board")
    await expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    await page.get_by_role("button", name="Start").click()
    secret = page.locator("#enrol-secret")
    await expect(secret).to_have_text(re.compile(r"^[A-Z2-7]{16,}$"))
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    await expect(qr).to_have_js_property("complete", True)
    assert await qr.evaluate("image => image.naturalWidth") > 0
    await screenshot(page)
    await page.get_by_label("The 6-digit code the app shows").fill(pyotp.TOTP(await secret.inner_text()).now())
    await page.get_by_role("button", name="Confirm").click()

    await expect(page.locator("#board-summary")).to_contain_text("groups shown")


async def test_a_request_after_the_access_cookie_ran_out_renews_the_session_and_goes_through(
    hub: Hub, signed_in_page: SignedInPage
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    page = await signed_in_page(dana)
    await expect(page.locator("#board-summary")).to_contain_text("0 of 0 groups shown")
    await page.context.clear_cookies(name="hub_session")

    async with (
        page.expect_response(lambda r: "/api/v1/auth/web/refresh" in r.url) as renewal,
        page.expect_response(lambda r: "date_from=2027-01-01" in r.url and r.status == 200) as board,
    ):
        await page.get_by_label("From").fill("2027-01-01")
        await page.get_by_label("From").dispatch_event("change")

    assert (await renewal.value).status == 200 and (await board.value).ok
    assert any(c["name"] == "hub_session" for c in await page.context.cookies())
    await expect(page.get_by_text("Your session has expired")).to_have_count(0)
