"""Real hub processes (`python -m hub run`) on free ports, for stories that span several processes."""

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

from tests.support.backends import Backend
from tests.support.live import PATIENCE_SECONDS
from tests.support.server import free_port, http_client

ROOT = Path(__file__).resolve().parents[2]


def scale_out(backend: Backend) -> bool:
    """Several processes share state only on the scale-out backend (PostgreSQL + Redis)."""
    return bool(backend.redis_url and backend.database_url and backend.database_url.startswith("postgresql"))


@asynccontextmanager
async def hub_process(
    backend: Backend, data_dir: Path, **settings: str
) -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    """A hub process on the backend; `settings` are extra `HUB_*` variables (`access_token_ttl_seconds="3"`)."""
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
        "HUB_SCHEDULER_ENABLED": "false",
        "HUB_BOT_WARM_UP": "false",
    }
    env |= {f"HUB_{name.upper()}": value for name, value in settings.items()}
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


async def eventually(check: Callable[[], bool], timeout: float = PATIENCE_SECONDS) -> float:
    """Wait until `check()` holds (polling, never a fixed sleep); returns how long it took."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true within {timeout} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started
