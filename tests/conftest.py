"""Fixtures: a real database built with the migrations, a real hub, a real server on a free port."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from domains.kernel.runtime import Hub
from hub.migrate import upgrade_head_async
from tests.support.backends import (
    BACKENDS,
    PG_URL,
    REDIS_URL,
    Backend,
    a_private_backend,
    create_database,
    drop_database,
)
from tests.support.builders import Person, sign_in
from tests.support.live import Connect, LiveClient
from tests.support.server import RunningHub, http_client, running_hub

# The browser fixtures (Playwright + Debian Chromium) serve the `*_in_browser.py` tests of every area.
pytest_plugins = ["tests.support.browser"]


@pytest.fixture(scope="session", params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    """The storage the hub runs on; the whole suite runs once per backend."""
    if request.param == "embedded":
        data_dir = tmp_path_factory.mktemp("embedded")
        url = f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}"
        await upgrade_head_async(url)
        yield Backend("embedded", url, None, "unused")
        return
    prefix = f"hubtest-{secrets.token_hex(4)}"
    url = await create_database(PG_URL) if PG_URL else None
    if url:
        await upgrade_head_async(url)
    try:
        yield Backend("scaleout", url, REDIS_URL, prefix)
    finally:
        if PG_URL and url:
            await drop_database(PG_URL, url)
        if REDIS_URL:
            redis = Redis.from_url(REDIS_URL)
            keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()


@pytest.fixture
async def private_backend(backend: Backend, tmp_path: Path) -> AsyncIterator[Backend]:
    """A database of the backend's kind for this test alone: for stories that sweep every organization's rows
    (the outbox, reminders), which other stories' leftovers in the shared database would otherwise join."""
    async with a_private_backend(backend, tmp_path) as private:
        yield private


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture
async def hub(backend: Backend, data_dir: Path) -> AsyncIterator[Hub]:
    """A hub wired to the backend, without a server (domain-level tests)."""
    instance = Hub(backend.settings(data_dir))
    try:
        yield instance
    finally:
        await instance.close()


@pytest.fixture
async def private_hub(private_backend: Backend, data_dir: Path) -> AsyncIterator[Hub]:
    """A hub on a database of its own (see `private_backend`)."""
    instance = Hub(private_backend.settings(data_dir))
    try:
        yield instance
    finally:
        await instance.close()


@pytest.fixture(scope="session")
async def server(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHub]:
    """The real app under uvicorn on a free port, shared by the story tests of one backend."""
    # Story tests send bursts faster than people type; the rate limit has its own test.
    settings = backend.settings(
        tmp_path_factory.mktemp("server-data"),
        socket_event_burst=10_000,
        socket_events_per_second=10_000,
        # Short pings let long-polling clients close quickly.
        socket_ping_interval_seconds=1,
        socket_ping_timeout_seconds=2,
        # Periodic jobs are driven by the tests themselves, with a clock they control.
        scheduler_enabled=False,
    )
    async with running_hub(settings) as running:
        yield running


@pytest.fixture
async def http(server: RunningHub) -> AsyncIterator[httpx.AsyncClient]:
    # Each test comes from its own client address, so per-address sign-in throttling never spills over.
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    async with http_client(server.url, headers={"X-Forwarded-For": address}) as client:
        yield client


@pytest.fixture
async def clients(server: RunningHub, http: httpx.AsyncClient) -> AsyncIterator[Connect]:
    """`await clients(carla)`: Carla signed in on a real Socket.IO connection to the test hub."""
    async with AsyncExitStack() as stack:

        async def connect(person: Person, transport: str = "websocket") -> LiveClient:
            client = LiveClient(person.email)
            await client.connect(server.url, (await sign_in(http, person))["access_token"], transport)
            stack.push_async_callback(client.close)
            return client

        yield connect
