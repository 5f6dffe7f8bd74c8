"""After signing in, people go back where they were going on this site, and never to another site: the server
decides where `?next=` leads and the sign-in page only follows."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, an_organization

ELSEWHERE = [
    "/\t/evil.example/phish",  # browsers drop the tab: //evil.example/phish
    "/\n/evil.example/phish",
    "/\r\n/evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "/\\/evil.example/phish",
    "https://evil.example/phish",
    "http:evil.example",
    "javascript:alert(document.cookie)",
    "evil.example/phish",
    " /board",
    "/board/../..//evil.example",
    "/\u3000/evil.example",
]


def handed_to_the_page(page: str) -> str:
    found = re.search(r'data-next="([^"]*)"', page)
    assert found, page
    return html.unescape(found.group(1))


@pytest.mark.parametrize("target", ELSEWHERE)
async def test_the_sign_in_page_drops_a_next_that_leaves_the_site(http: httpx.AsyncClient, target: str) -> None:
    page = await http.get("/signin", params={"next": target})
    assert page.status_code == 200
    assert handed_to_the_page(page.text) == ""


@pytest.mark.parametrize("target", ["/board", "/groups/5b0c7e86-0d43-4a1e-9df4-5d0f1d1f4a11", "/me?tab=trip"])
async def test_the_sign_in_page_keeps_a_path_of_this_site(http: httpx.AsyncClient, target: str) -> None:
    page = await http.get("/signin", params={"next": target})
    assert handed_to_the_page(page.text) == target


async def test_someone_already_signed_in_is_sent_to_their_start_page_not_elsewhere(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    signed_in = await http.post("/api/v1/auth/web/login", json={"email": dana.email, "password": dana.password})
    assert signed_in.status_code == 200

    for target in ELSEWHERE:
        answer = await http.get("/signin", params={"next": target})
        assert answer.status_code in (301, 302, 303, 307) and answer.headers["location"] == "/board", target
    back = await http.get("/signin", params={"next": "/board?day=2027-04-10"})
    assert back.headers["location"] == "/board?day=2027-04-10"
