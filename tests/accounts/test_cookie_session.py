"""The web app's cookie session: HttpOnly tokens, CSRF on writes, renewal, sign-out, pages and sockets."""

from __future__ import annotations

import httpx
import pyotp
import pytest
import socketio

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import Person, a_person, a_tour_group, an_organization, bearer, next_code, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub


async def web_sign_in(http: httpx.AsyncClient, person: Person, totp: str | None = None) -> httpx.Response:
    body = {"email": person.email, "password": person.password} | ({"totp": totp} if totp else {})
    return await http.post("/api/v1/auth/web/login", json=body)


async def close_refused(client: socketio.AsyncClient) -> None:
    """A refused client keeps its HTTP session open; close it so the run stays free of warnings."""
    if client.eio.http is not None and not client.eio.http.closed:
        await client.eio.http.close()


def csrf(http: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": http.cookies["hub_csrf"]}


async def test_signing_in_on_the_web_keeps_the_tokens_out_of_reach_of_scripts(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")

    answer = await web_sign_in(http, dana)

    assert answer.status_code == 200
    assert answer.json() == {"id": str(dana.user.id), "name": "Dana", "role": "dispatcher", "home": "/board"}
    assert "token" not in answer.text  # the body carries no token a script could steal
    cookies = {line.split("=", 1)[0]: line.lower() for line in answer.headers.get_list("set-cookie")}
    assert "httponly" in cookies["hub_session"] and "samesite=lax" in cookies["hub_session"]
    assert "httponly" in cookies["hub_refresh"] and "path=/api/v1/auth/web" in cookies["hub_refresh"]
    assert "httponly" not in cookies["hub_csrf"]  # our scripts read it to echo it back
    me = await http.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == dana.email


async def test_a_cookie_authenticated_write_needs_the_csrf_header(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    await web_sign_in(http, dana)
    group = {"name": "Porto Weekend", "start_date": "2027-05-01", "end_date": "2027-05-03", "cities": ["Porto"]}

    forged = await http.post("/api/v1/groups", json=group)
    wrong = await http.post("/api/v1/groups", json=group, headers={"X-CSRF-Token": "0" * 64})
    # A page that planted a csrf cookie of its own choosing still fails: the token is bound to the session.
    planted = await http.post(
        "/api/v1/groups",
        json=group,
        headers={"X-CSRF-Token": "a" * 64, "Cookie": f"hub_session={http.cookies['hub_session']}; hub_csrf={'a' * 64}"},
    )
    genuine = await http.post("/api/v1/groups", json=group, headers=csrf(http))

    for refused in (forged, wrong, planted):
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    assert genuine.status_code == 201, genuine.text
    assert len((await http.get("/api/v1/groups")).json()) == 1  # reads need no header


async def test_bearer_callers_need_no_csrf_header(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    headers = bearer(await sign_in(http, dana))
    group = {"name": "Porto Weekend", "start_date": "2027-05-01", "end_date": "2027-05-03"}

    assert (await http.post("/api/v1/groups", json=group, headers=headers)).status_code == 201


async def test_two_factor_sign_in_is_a_second_step(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    tokens = bearer(await sign_in(http, carla))
    secret = (await http.post("/api/v1/auth/totp/setup", headers=tokens)).json()["secret"]
    code = pyotp.TOTP(secret).now()
    await http.post("/api/v1/auth/totp/confirm", json={"code": code}, headers=tokens)

    first = await web_sign_in(http, carla)
    assert first.status_code == 401 and first.json()["totp_required"] is True
    assert "hub_session" not in http.cookies
    wrong = await web_sign_in(http, carla, totp="000000")
    assert wrong.status_code == 401 and "one-time code" in wrong.json()["detail"]
    assert "totp_required" not in wrong.json()
    second = await web_sign_in(http, carla, totp=next_code(secret))
    assert second.status_code == 200 and second.json()["home"] == "/board"


async def test_the_session_renews_with_the_refresh_cookie_until_it_is_signed_out(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    await web_sign_in(http, dana)
    first_access, first_refresh = http.cookies["hub_session"], http.cookies["hub_refresh"]

    assert (await http.post("/api/v1/auth/web/refresh")).status_code == 403  # CSRF applies here too
    renewed = await http.post("/api/v1/auth/web/refresh", headers=csrf(http))
    assert renewed.status_code == 200 and renewed.json()["name"] == "Dana"
    assert http.cookies["hub_session"] != first_access and http.cookies["hub_refresh"] != first_refresh

    out = await http.post("/api/v1/auth/web/logout", headers=csrf(http))
    assert out.status_code == 204
    assert "hub_session" not in http.cookies and "hub_csrf" not in http.cookies
    # The old access token no longer works anywhere, and renewal says the session has ended.
    assert (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {first_access}"})).status_code == 401
    again = await http.post(
        "/api/v1/auth/web/refresh",
        headers={"X-CSRF-Token": "x", "Cookie": f"hub_refresh={first_refresh}; hub_csrf=x"},
    )
    assert again.status_code == 401


async def test_signing_out_with_an_expired_access_cookie_still_ends_the_session(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    org = await an_organization(hub)
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    await web_sign_in(http, dana)
    access, refresh, token = http.cookies["hub_session"], http.cookies["hub_refresh"], http.cookies["hub_csrf"]

    # The browser dropped the access cookie (it lives only as long as the token); the refresh cookie remains.
    out = await http.post(
        "/api/v1/auth/web/logout",
        headers={"X-CSRF-Token": token, "Cookie": f"hub_refresh={refresh}; hub_csrf={token}"},
    )

    assert out.status_code == 204
    assert (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"})).status_code == 401


async def test_pages_send_strangers_to_sign_in_and_people_to_their_start_page(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    tour = await a_tour_group(hub)
    partner = await a_person(hub, tour.org, Role.PARTNER, "Paula")

    stranger = await http.get("/board?from=2027-04-01")
    assert stranger.status_code == 302 and stranger.headers["location"] == "/signin?next=/board%3Ffrom%3D2027-04-01"
    assert (await http.get("/")).headers["location"] == "/signin"

    await web_sign_in(http, tour.coordinator)
    assert (await http.get("/")).headers["location"] == "/board"
    board = await http.get("/board")
    assert board.status_code == 200 and 'id="conn-status"' in board.text and "Carla" in board.text
    assert board.headers["cache-control"] == "no-store"
    assert "<script>" not in board.text  # scripts are files: the strict CSP holds
    assert (await http.get(f"/groups/{tour.group.id}")).status_code == 200
    # Signed in, the sign-in page forwards to where one was going, but never off-site.
    assert (await http.get("/signin?next=/partner")).headers["location"] == "/partner"
    assert (await http.get("/signin?next=//evil.example/")).headers["location"] == "/board"

    await http.post("/api/v1/auth/web/logout", headers=csrf(http))
    await web_sign_in(http, tour.traveler)
    assert (await http.get("/")).headers["location"] == "/me"
    assert (await http.get("/board")).status_code == 403
    assert (await http.get(f"/groups/{tour.group.id}")).status_code == 200

    await http.post("/api/v1/auth/web/logout", headers=csrf(http))
    await web_sign_in(http, partner)
    assert (await http.get("/")).headers["location"] == "/partner"
    assert (await http.get("/partner")).status_code == 200
    refused = await http.get(f"/groups/{tour.group.id}")
    assert refused.status_code == 404 and "not one of yours" in refused.text


async def test_a_traveler_cannot_open_another_groups_page(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    porto = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)

    await web_sign_in(http, lisbon.traveler)

    assert (await http.get(f"/groups/{porto.group.id}")).status_code == 404
    assert (await http.get("/groups/not-a-uuid")).status_code == 404


async def test_the_socket_accepts_the_session_cookie(server: RunningHub, http: httpx.AsyncClient, hub: Hub) -> None:
    tour = await a_tour_group(hub)
    await web_sign_in(http, tour.coordinator)
    cookie = f"hub_session={http.cookies['hub_session']}"

    carla = LiveClient("carla")
    await carla.sio.connect(server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    try:
        assert (await carla.join("board:dispatch"))["ok"]
        assert (await carla.join(tour.room))["ok"]
        # Signing out on the web ends the socket too.
        await http.post("/api/v1/auth/web/logout", headers=csrf(http))
        for _ in range(100):
            if not carla.sio.connected:
                break
            await carla.sio.sleep(0.05)
        assert not carla.sio.connected
    finally:
        await carla.close()

    for bad in (cookie, "hub_session=forged", "hub_session", "", "garbage;;=="):
        client = socketio.AsyncClient(reconnection=False)
        reasons: list[dict[str, str]] = []
        client.on("connect_error", reasons.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(server.url, headers={"Cookie": bad}, transports=["websocket"], wait_timeout=10)
        assert len(reasons) == 1 and reasons[0]["message"].startswith("unauthenticated:"), (bad, reasons)
        await close_refused(client)


async def test_another_site_cannot_ride_the_cookie_into_a_socket(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    tour = await a_tour_group(hub)
    await web_sign_in(http, tour.coordinator)
    cookie = f"hub_session={http.cookies['hub_session']}"

    hostile = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await hostile.connect(
            server.url,
            headers={"Cookie": cookie, "Origin": "https://evil.example"},
            transports=["websocket"],
            wait_timeout=5,
        )
    assert not hostile.connected
    await close_refused(hostile)

    own = LiveClient("carla")
    await own.sio.connect(
        server.url, headers={"Cookie": cookie, "Origin": server.url}, transports=["websocket"], wait_timeout=10
    )
    try:
        assert (await own.join(tour.room))["ok"]
    finally:
        await own.close()
