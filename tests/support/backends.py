"""Test backends: embedded (SQLite, in-memory) always; scale-out (PostgreSQL + Redis) when their URLs are set.

Each run gets a fresh PostgreSQL database and its own Redis key prefix, so runs never see each other.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from domains.kernel.settings import Settings
from hub.migrate import upgrade_head_async

PG_URL = os.environ.get("HUB_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL")
BACKENDS = ["embedded", *(["scaleout"] if PG_URL or REDIS_URL else [])]


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str | None
    redis_url: str | None
    redis_prefix: str

    def settings(self, data_dir: Path, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "env": "test",
            "data_dir": data_dir,
            "database_url": self.database_url,
            "redis_url": self.redis_url,
            "redis_prefix": self.redis_prefix,
            "jwt_secret": "test-secret-" + "x" * 40,
            # Tests that talk to the assistant load its model on their first question.
            "bot_warm_up": False,
            # No background sweeps: a hub's reminder and outbox jobs go through every organization in the
            # shared test database and, on SQLite, hold its write lock for seconds while they do, which
            # starved other tests' hubs (a readiness probe, a restarted hub) on a busy machine. Tests that
            # need a job run it themselves.
            "scheduler_enabled": False,
        }
        values.update(overrides)
        return Settings.model_validate(values)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(admin_url: str) -> str:
    name = f"hub_test_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@asynccontextmanager
async def a_private_backend(backend: Backend, directory: Path) -> AsyncIterator[Backend]:
    """A database of the backend's kind for one test or module alone (migrated to head): for stories that sweep
    every organization's rows (the outbox, reminders, alerts), which other stories' leftovers would join."""
    if backend.name == "embedded" or not (PG_URL and backend.database_url):
        url = f"sqlite+aiosqlite:///{directory / 'private.sqlite3'}"
        await upgrade_head_async(url)
        yield Backend(backend.name, url, backend.redis_url, backend.redis_prefix)
        return
    url = await create_database(PG_URL)
    await upgrade_head_async(url)
    try:
        yield Backend(backend.name, url, backend.redis_url, backend.redis_prefix)
    finally:
        await drop_database(PG_URL, url)
