"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from litestar import Response, get
from sqlalchemy import text

from web.deps import HubDep

PROBE_TIMEOUT_SECONDS = 2.0


@get("/health", tags=["ops"])
async def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


async def _database_ok(hub: HubDep) -> None:
    async with hub.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _redis_ok(hub: HubDep) -> None:
    assert hub.redis is not None
    await hub.redis.ping()


@get("/readiness", tags=["ops"])
async def readiness(hub: HubDep) -> Response[dict[str, object]]:
    """Readiness: the database and, when configured, Redis answer. 503 names what does not."""
    checks = {"database": _database_ok(hub)}
    if hub.redis is not None:
        checks["redis"] = _redis_ok(hub)
    failing: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check, PROBE_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and its text is the reason
            failing[name] = f"{type(exc).__name__}: {exc}".strip(": ")
    if failing:
        detail = "; ".join(f"{name} unreachable ({reason})" for name, reason in failing.items())
        return Response({"status": "unavailable", "failing": sorted(failing), "detail": detail}, status_code=503)
    return Response({"status": "ready", "checks": sorted(checks)}, status_code=200)
