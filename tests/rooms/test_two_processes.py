"""Two hub processes behind one load balancer act as one hub: chat and presence cross, and a crash is noticed."""

from __future__ import annotations

from pathlib import Path

import pytest

from domains.kernel.runtime import Hub
from tests.support.backends import Backend
from tests.support.builders import a_tour_group, sign_in
from tests.support.live import PATIENCE_SECONDS, LiveClient
from tests.support.processes import eventually, hub_process, scale_out
from tests.support.server import http_client


async def connected(url: str, token: str) -> LiveClient:
    client = LiveClient(url)
    await client.connect(url, token)
    return client


async def test_two_processes_share_rooms_and_a_crashed_one_leaves_no_ghosts(
    backend: Backend, hub: Hub, tmp_path: Path
) -> None:
    if not scale_out(backend):
        pytest.skip("several processes need the scale-out backend (PostgreSQL + Redis)")
    lisbon = await a_tour_group(hub)
    async with hub_process(backend, tmp_path / "a") as (url_a, _), hub_process(backend, tmp_path / "b") as (url_b, b):
        async with http_client(url_a) as http_a, http_client(url_b) as http_b:
            carla = await connected(url_a, (await sign_in(http_a, lisbon.coordinator))["access_token"])
            ana = await connected(url_b, (await sign_in(http_b, lisbon.guide))["access_token"])
        try:
            await carla.join(lisbon.room)
            joined = await ana.join(lisbon.room)
            assert {m["name"] for m in joined["members"]} == {"Carla", "Ana"}
            await carla.wait_for("presence:update", lambda d: d["user"]["name"] == "Ana" and d["status"] == "online")

            await carla.call("chat:send", {"room": lisbon.room, "client_id": "x-1", "text": "from process A"})
            assert (await ana.wait_for("chat:message"))["message"]["text"] == "from process A"
            await ana.call("chat:send", {"room": lisbon.room, "client_id": "x-2", "text": "from process B"})
            await carla.wait_for("chat:message", lambda d: d["message"]["text"] == "from process B")

            b.kill()  # a crash: no clean shutdown, no disconnect handlers
            gone = await eventually(
                lambda: any(
                    d["user"]["name"] == "Ana" and d["status"] == "offline" for d in carla.received["presence:update"]
                ),
                timeout=PATIENCE_SECONDS,
            )
            members = (await carla.join(lisbon.room))["members"]
            assert [m["name"] for m in members] == ["Carla"]
            print(f"a crashed process's users left presence after {gone:.1f} s")
        finally:
            await carla.close()
            await ana.close()
