"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from litestar import Response, get
from sqlalchemy import text

from domains.kernel.runtime import Hub
from web.deps import HubDep

# Bounds a check that hangs (a firewall dropping packets). A refused connection fails at once; a busy machine
# can take a few seconds to open a first connection, and that is not "unreachable".
PROBE_TIMEOUT_SECONDS = 5.0


@get("/health", tags=["ops"])
async def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


async def _database_ok(hub: Hub) -> None:
    async with hub.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _redis_ok(hub: Hub) -> None:
    assert hub.redis is not None
    await hub.redis.ping()


async def _failure(check: Coroutine[Any, Any, None]) -> str | None:
    """Why the check failed, or None when it passed."""
    try:
        await asyncio.wait_for(check, PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and its text is the reason
        return f"{type(exc).__name__}: {exc}".strip(": ")
    return None


@get("/readiness", tags=["ops"])
async def readiness(hub: HubDep) -> Response[dict[str, object]]:
    """Readiness: the database and, when configured, Redis answer. 503 names what does not."""
    checks = {"database": _database_ok(hub)}
    if hub.redis is not None:
        checks["redis"] = _redis_ok(hub)
    # Side by side, so the answer takes as long as the slowest check rather than their sum.
    reasons = await asyncio.gather(*(_failure(check) for check in checks.values()))
    failing = {name: reason for name, reason in zip(checks, reasons, strict=True) if reason is not None}
    if failing:
        detail = "; ".join(f"{name} unreachable ({reason})" for name, reason in failing.items())
        return Response({"status": "unavailable", "failing": sorted(failing), "detail": detail}, status_code=503)
    return Response({"status": "ready", "checks": sorted(checks)}, status_code=200)
