"""Run the real hub under uvicorn on a free port in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import httpx
import uvicorn

from domains.kernel.runtime import Hub
from domains.kernel.settings import Settings
from hub.app import build_app

T = TypeVar("T")

# Generous on purpose: a busy machine can take seconds to hash a password; tests wait for answers, not time.
CLIENT_TIMEOUT_SECONDS = 60


def http_client(base_url: str = "", **options: object) -> httpx.AsyncClient:
    """An HTTP client for a test hub, patient enough for a loaded machine."""
    return httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT_SECONDS, **options)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningHub:
    url: str
    port: int
    settings: Settings
    hub: Hub
    loop: asyncio.AbstractEventLoop

    async def run(self, work: Callable[[Hub], Awaitable[T]]) -> T:
        """Run `work` in the server's own event loop with its hub: for a domain event the live server must
        broadcast (a job, a subscriber), which only the hub that owns the sockets can do."""

        async def call() -> T:
            return await work(self.hub)

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(call(), self.loop))


@asynccontextmanager
async def running_hub(settings: Settings) -> AsyncIterator[RunningHub]:
    port = free_port()
    hub, app = build_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="on",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        ws="websockets-sansio",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"hub-{port}", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the hub server did not start")
        await asyncio.sleep(0.02)
    try:
        loop = server.servers[0].get_loop()
        yield RunningHub(url=f"http://127.0.0.1:{port}", port=port, settings=settings, hub=hub, loop=loop)
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 10)
