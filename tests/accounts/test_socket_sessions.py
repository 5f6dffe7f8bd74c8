"""A socket lives only as long as its sign-in: signing out, a replayed refresh token or an ended session closes
it with a reason, in every process, and a socket re-checks its session when its access token expires."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import socketio
from sqlalchemy import update

from domains.kernel.db import utcnow
from domains.kernel.runtime import Hub
from domains.kernel.security import read_access_token
from domains.models import AuthSession, User
from realtime import metrics
from tests.support.backends import Backend
from tests.support.builders import TourGroup, a_tour_group, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.processes import eventually, hub_process, scale_out
from tests.support.server import RunningHub, http_client, running_hub


async def connected(url: str, token: str, name: str) -> LiveClient:
    client = LiveClient(name)
    await client.connect(url, token)
    return client


async def in_the_room(tour: TourGroup, *clients: LiveClient) -> None:
    for client in clients:
        assert (await client.join(tour.room))["ok"]


async def says(client: LiveClient, tour: TourGroup, text: str) -> None:
    ack = await client.call("chat:send", {"room": tour.room, "client_id": f"{client.name}-{text}", "text": text})
    assert ack["ok"], ack


def texts(client: LiveClient) -> list[str]:
    return [event["message"]["text"] for event in client.received["chat:message"]]


async def refused(url: str, token: str) -> str:
    """The reason a handshake with this token is refused."""
    client = socketio.AsyncClient(reconnection=False)
    reasons: list[dict[str, str]] = []
    client.on("connect_error", reasons.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
    if client.eio.http is not None and not client.eio.http.closed:
        await client.eio.http.close()
    return reasons[0]["message"]


def kept_checks() -> float:
    return metrics.SESSION_CHECKS.labels("kept")._value.get()


async def test_signing_out_closes_the_sessions_sockets_with_the_reason(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    tour = await a_tour_group(hub)
    laptop_tokens = await sign_in(http, tour.coordinator)
    phone_tokens = await sign_in(http, tour.coordinator)  # Carla's second sign-in stays
    laptop = await connected(server.url, laptop_tokens["access_token"], "laptop")
    phone = await connected(server.url, phone_tokens["access_token"], "phone")
    ana = await connected(server.url, (await sign_in(http, tour.guide))["access_token"], "ana")
    try:
        await in_the_room(tour, laptop, phone, ana)

        assert (await http.post("/api/v1/auth/logout", headers=bearer(laptop_tokens))).status_code == 204

        ended = await laptop.wait_for("session:ended")
        assert ended == {"reason": "logout", "message": "you signed out of this session"}
        await eventually(lambda: not laptop.sio.connected)
        await says(ana, tour, "is anyone still there?")
        await phone.wait_for("chat:message", lambda d: d["message"]["text"] == "is anyone still there?")
        assert phone.sio.connected and "is anyone still there?" not in texts(laptop)
        assert (await refused(server.url, laptop_tokens["access_token"])).startswith("unauthenticated:")
    finally:
        for client in (laptop, phone, ana):
            await client.close()


async def test_a_replayed_refresh_token_closes_the_sockets_of_its_sign_in(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    tour = await a_tour_group(hub)
    tokens = await sign_in(http, tour.coordinator)
    carla = await connected(server.url, tokens["access_token"], "carla")
    try:
        await in_the_room(tour, carla)
        assert (await http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).is_success
        # Someone who copied the old refresh token tries it: the whole sign-in ends, its socket too.
        stolen = await http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert stolen.status_code == 401

        ended = await carla.wait_for("session:ended")
        assert ended["reason"] == "refresh_token_reused" and "used twice" in ended["message"]
        await eventually(lambda: not carla.sio.connected)
    finally:
        await carla.close()


async def test_a_socket_rechecks_its_session_when_its_token_expires(backend: Backend, hub: Hub, data_dir: Path) -> None:
    """Carla's phone was signed out by another process whose word never reached this one, and Tom's account was
    disabled in the database; Carla's laptop and Ana's sign-ins hold. Every socket outlives its 3-second access
    token: the phone and Tom are closed with the reason, the laptop and Ana keep working."""
    settings = backend.settings(data_dir / "short-tokens", access_token_ttl_seconds=3)
    before = kept_checks()
    async with running_hub(settings) as running, http_client(running.url) as http:
        tour = await a_tour_group(hub)
        laptop_tokens = await sign_in(http, tour.coordinator)
        phone_tokens = await sign_in(http, tour.coordinator)
        laptop = await connected(running.url, laptop_tokens["access_token"], "laptop")
        phone = await connected(running.url, phone_tokens["access_token"], "phone")
        ana = await connected(running.url, (await sign_in(http, tour.guide))["access_token"], "ana")
        tom = await connected(running.url, (await sign_in(http, tour.traveler))["access_token"], "tom")
        try:
            await in_the_room(tour, laptop, phone, ana, tom)
            # The phone's sign-in ends in the database only: no request and no event reach this process.
            phone_session = read_access_token(phone_tokens["access_token"], hub.tokens.secret).session_id
            async with hub.unit_of_work() as uow:
                await uow.session.execute(
                    update(AuthSession)
                    .where(AuthSession.id == phone_session)
                    .values(revoked_at=utcnow(), revoked_reason="logout")
                )
                await uow.session.execute(update(User).where(User.id == tour.traveler.user.id).values(is_active=False))

            ended = await phone.wait_for("session:ended")
            assert ended == {"reason": "session_ended", "message": "this session has ended; sign in again"}
            await eventually(lambda: not phone.sio.connected)
            assert (await tom.wait_for("session:ended"))["message"] == "the account is disabled"
            await eventually(lambda: not tom.sio.connected)
            # The laptop's and Ana's tokens have expired as well, and their sessions were found good.
            await eventually(lambda: kept_checks() >= before + 2)
            assert laptop.sio.connected and ana.sio.connected
            await says(laptop, tour, "still here after my token expired")
            await ana.wait_for("chat:message", lambda d: d["message"]["text"] == "still here after my token expired")
            await says(ana, tour, "good to hear")
            await laptop.wait_for("chat:message", lambda d: d["message"]["text"] == "good to hear")
            assert "good to hear" not in texts(phone) + texts(tom)
            assert not laptop.received["session:ended"] and not ana.received["session:ended"]
        finally:
            for client in (laptop, phone, ana, tom):
                await client.close()


async def test_signing_out_through_one_process_closes_the_sockets_on_another(
    backend: Backend, hub: Hub, tmp_path: Path
) -> None:
    if not scale_out(backend):
        pytest.skip("several processes need the scale-out backend (PostgreSQL + Redis)")
    tour = await a_tour_group(hub)
    async with (
        hub_process(backend, tmp_path / "a") as (url_a, _),
        hub_process(backend, tmp_path / "b") as (url_b, _),
        http_client(url_a) as http_a,
        http_client(url_b) as http_b,
    ):
        carla_tokens = await sign_in(http_b, tour.coordinator)
        ana_tokens = await sign_in(http_b, tour.guide)
        tom = await connected(url_a, (await sign_in(http_a, tour.traveler))["access_token"], "tom")
        carla = await connected(url_b, carla_tokens["access_token"], "carla")
        ana = await connected(url_b, ana_tokens["access_token"], "ana")
        # Carla's phone: another sign-in of hers, on process B too, which stays.
        phone = await connected(url_b, (await sign_in(http_b, tour.coordinator))["access_token"], "phone")
        try:
            await in_the_room(tour, tom, carla, ana, phone)
            await says(tom, tour, "hello from the bus")
            await carla.wait_for("chat:message", lambda d: d["message"]["text"] == "hello from the bus")

            # Carla signs out on process A; her socket is on process B.
            assert (await http_a.post("/api/v1/auth/logout", headers=bearer(carla_tokens))).status_code == 204
            assert (await carla.wait_for("session:ended"))["reason"] == "logout"
            await eventually(lambda: not carla.sio.connected)

            # Someone replays Ana's refresh token on process A: her socket on process B closes too.
            refresh = {"refresh_token": ana_tokens["refresh_token"]}
            assert (await http_a.post("/api/v1/auth/refresh", json=refresh)).status_code == 200
            assert (await http_a.post("/api/v1/auth/refresh", json=refresh)).status_code == 401
            assert (await ana.wait_for("session:ended"))["reason"] == "refresh_token_reused"
            await eventually(lambda: not ana.sio.connected)

            # Neither can send any more, nor hears the room.
            with pytest.raises(socketio.exceptions.BadNamespaceError):
                await carla.call("chat:send", {"room": tour.room, "client_id": "late", "text": "after sign-out"})
            await says(tom, tour, "where did everyone go?")
            await phone.wait_for("chat:message", lambda d: d["message"]["text"] == "where did everyone go?")
            assert "where did everyone go?" not in texts(carla) + texts(ana)
            assert "after sign-out" not in texts(tom)
            assert (await refused(url_b, carla_tokens["access_token"])).startswith("unauthenticated:")
        finally:
            for client in (tom, carla, ana, phone):
                await client.close()
