"""The CLI a new operator uses: migrate, seed the demo, create users, and refuse unsafe production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.backends import Backend

ROOT = Path(__file__).resolve().parents[2]


def hub_cli(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        env=clean | env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(backend: Backend, tmp_path: Path) -> dict[str, str]:
    env = {"HUB_DATA_DIR": str(tmp_path / "var"), "HUB_REDIS_PREFIX": backend.redis_prefix}
    if backend.database_url:
        env["DATABASE_URL"] = backend.database_url
    if backend.redis_url:
        env["REDIS_URL"] = backend.redis_url
    return env


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({}, "HUB_JWT_SECRET is not set"),
        ({"HUB_JWT_SECRET": "changeme"}, "well-known default"),
        ({"HUB_JWT_SECRET": "short-secret"}, "shorter than 32 bytes"),
        ({"HUB_JWT_SECRET": "a" * 32}, "HUB_JWT_SECRET is too predictable"),
        ({"HUB_JWT_SECRET": "s" * 40, "DATABASE_URL": "sqlite:///var/hub.sqlite3"}, "not SQLite"),
    ],
)
def test_production_refuses_to_start_with_a_one_line_reason(tmp_path: Path, extra: dict[str, str], reason: str) -> None:
    result = hub_cli("run", env={"HUB_ENV": "production", "HUB_DATA_DIR": str(tmp_path)} | extra)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("refusing to start in production:")
    assert reason in lines[0]
    assert "Traceback" not in result.stderr


def test_the_embedded_default_keeps_everything_under_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert hub_cli("migrate", env={"HUB_DATA_DIR": str(data_dir)}).returncode == 0
    assert (data_dir / "hub.sqlite3").exists()


def test_seeding_the_demo_twice_creates_nothing_twice(cli_env: dict[str, str]) -> None:
    assert hub_cli("migrate", env=cli_env).returncode == 0
    first = hub_cli("seed-demo", env=cli_env)
    second = hub_cli("seed-demo", env=cli_env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "dispatcher@demo.spirithub.example" in first.stdout
    assert "(created)" in first.stdout or "(exists)" in first.stdout
    assert "(created)" not in second.stdout
    assert second.stdout.count("(exists)") == 7


def test_create_user_reads_the_password_from_the_environment_or_stdin(cli_env: dict[str, str]) -> None:
    assert hub_cli("migrate", env=cli_env).returncode == 0
    from_env = hub_cli(
        "create-user",
        "--email",
        "rita@porto.example",
        "--name",
        "Rita",
        "--role",
        "coordinator",
        "--org",
        "porto-x",
        env=cli_env | {"HUB_NEW_PASSWORD": "a long enough secret"},
    )
    assert from_env.returncode == 0, from_env.stderr
    assert "organization 'porto-x'" in from_env.stdout

    from_stdin = hub_cli(
        "create-user",
        "--email",
        "rui@porto.example",
        "--name",
        "Rui",
        "--role",
        "driver",
        "--org",
        "porto-x",
        env=cli_env,
        stdin="another long secret\n",
    )
    assert from_stdin.returncode == 0, from_stdin.stderr

    again = hub_cli(
        "create-user",
        "--email",
        "rui@porto.example",
        "--name",
        "Rui",
        "--role",
        "driver",
        env=cli_env,
        stdin="another long secret\n",
    )
    assert again.returncode != 0 and "already exists" in again.stderr
    bad_role = hub_cli(
        "create-user",
        "--email",
        "x@porto.example",
        "--name",
        "X",
        "--role",
        "pirate",
        env=cli_env,
        stdin="another long secret\n",
    )
    assert bad_role.returncode != 0 and "role" in bad_role.stderr


async def test_the_demo_week_shows_complete_and_incomplete_groups(cli_env: dict[str, str], backend: Backend) -> None:
    from datetime import date, timedelta

    from sqlalchemy import select

    from domains.kernel.runtime import Hub
    from domains.models import Organization
    from domains.views.board import board_rows

    assert hub_cli("migrate", env=cli_env).returncode == 0
    assert hub_cli("seed-demo", env=cli_env).returncode == 0
    hub = Hub(backend.settings(Path(cli_env["HUB_DATA_DIR"])))
    try:
        async with hub.unit_of_work() as uow:
            org_id = await uow.session.scalar(select(Organization.id).where(Organization.slug == "demo"))
        async with hub.unit_of_work(org_id) as uow:
            rows = await board_rows(uow.session, date.today(), date.today() + timedelta(days=14))
    finally:
        await hub.close()
    by_name = {row.group.name: row for row in rows}
    assert len(by_name) == 5
    assert set(by_name["Lisbon Spring Highlights"].areas.values()) == {"ok"}
    assert by_name["Sintra Day Escape"].areas["guide"] == "critical"
    assert by_name["Porto & Douro Wine Week"].areas["driver"] == "critical"
    assert by_name["Algarve Coast Families"].areas["contacts"] == "normal"
