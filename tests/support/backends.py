"""Test backends: embedded (SQLite, in-memory) always; scale-out (PostgreSQL + Redis) when their URLs are set.

Each run gets a fresh PostgreSQL database and its own Redis key prefix, so runs never see each other.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from domains.kernel.settings import Settings

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
