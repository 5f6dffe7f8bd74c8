"""Two hub processes behind one load balancer act as one hub: chat and presence cross, and a crash is noticed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from domains.kernel.runtime import Hub
from tests.support.backends import Backend
from tests.support.builders import a_tour_group, sign_in
from tests.support.live import PATIENCE_SECONDS, LiveClient
from tests.support.server import free_port, http_client

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def hub_process(backend: Backend, data_dir: Path) -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DATABASE_URL", "REDIS_URL"))}
    env |= {
        "HUB_ENV": "test",
        "HUB_DATA_DIR": str(data_dir),
        "DATABASE_URL": str(backend.database_url),
        "REDIS_URL": str(backend.redis_url),
        "HUB_REDIS_PREFIX": backend.redis_prefix,
        "HUB_JWT_SECRET": backend.settings(data_dir).jwt_secret or "",
        "HUB_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "run", "--port", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with http_client() as http:
            # A process start (imports, migrations) takes seconds on a loaded machine: wait for its health.
            started = time.monotonic()
            while True:
                try:
                    if (await http.get(f"{url}/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() - started > PATIENCE_SECONDS:
                    raise RuntimeError("hub process did not start")
                await asyncio.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


async def connected(url: str, token: str) -> LiveClient:
    client = LiveClient(url)
    await client.connect(url, token)
    return client


async def eventually(check: Callable[[], bool], timeout: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true within {timeout} s")
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def test_two_processes_share_rooms_and_a_crashed_one_leaves_no_ghosts(
    backend: Backend, hub: Hub, tmp_path: Path
) -> None:
    if not (backend.redis_url and backend.database_url and backend.database_url.startswith("postgresql")):
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
