"""Browser tests: Playwright driving Debian's Chromium against the real hub on a free port.

No browser is downloaded: `make browser` installs the `chromium` package when /usr/bin/chromium is
missing. Every page opened through these fixtures fails its test on a script error or a CSP violation,
and tests save screenshots under `test-artifacts/` (ignored by git) with `screenshot(page)`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, async_playwright

from tests.support.builders import Person
from tests.support.server import RunningHub

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = ViewportSize(width=1280, height=800)

NewPage = Callable[..., Awaitable[Page]]
SignedInPage = Callable[..., Awaitable[Page]]
Screenshot = Callable[..., Awaitable[Path]]


def chromium_installed() -> bool:
    return CHROMIUM.exists()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not chromium_installed():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield instance
        finally:
            await instance.close()


@pytest.fixture
async def new_page(browser: Browser, server: RunningHub) -> AsyncIterator[NewPage]:
    """`await new_page(viewport=None)`: a page in a fresh browser context (its own cookies), on the hub.

    Each context comes from its own client address (the hub trusts X-Forwarded-For from 127.0.0.1),
    so sign-in throttling per address never spills from one test to the next.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    async def open_page(viewport: ViewportSize | None = None) -> Page:
        address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
        context = await browser.new_context(
            base_url=server.url, viewport=viewport or DESKTOP, extra_http_headers={"X-Forwarded-For": address}
        )
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and re.search(r"Content Security Policy|Uncaught", message.text)
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        await context.close()
    assert not problems, problems


@pytest.fixture
async def signed_in_page(new_page: NewPage) -> SignedInPage:
    """`await signed_in_page(person, viewport=None)`: a page signed in through the real sign-in form,
    on the person's start page."""

    async def sign_in(person: Person, viewport: ViewportSize | None = None) -> Page:
        page = await new_page(viewport)
        await page.goto("/signin")
        await page.get_by_label("Email").fill(person.email)
        await page.get_by_label("Password").fill(person.password)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(lambda url: "/signin" not in url)
        return page

    return sign_in


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """`await screenshot(page, "step")` → test-artifacts/<test name>[-step].png (the backend is in the name)."""

    async def shoot(page: Page, step: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        path = ARTIFACTS / f"{name}{'-' + step if step else ''}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return shoot
