"""Production refuses guessable secrets with a one-line reason, and `/metrics` there answers only to its token."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from domains.kernel.settings import ConfigurationError, Settings, check_startup, estimated_entropy_bits
from tests.support.backends import Backend
from tests.support.server import http_client, running_hub

STRONG = secrets.token_urlsafe(48)


def production(**values: object) -> Settings:
    return Settings.model_validate(
        {"env": "production", "database_url": "postgresql://hub@db.internal/hub", "jwt_secret": STRONG} | values
    )


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 32,
        "ab" * 16,
        "password" * 4,
        "abcdefghijklmnopqrstuvwxyzABCDEF",
        "0123456789" * 4,
        "test-secret-" + "x" * 40,
    ],
)
def test_production_refuses_a_long_but_guessable_jwt_secret(secret: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        check_startup(production(jwt_secret=secret))
    reason = str(refused.value)
    assert reason.startswith("refusing to start in production: HUB_JWT_SECRET is too predictable")
    assert "at least 96 needed" in reason and "secrets.token_urlsafe(48)" in reason
    assert "\n" not in reason


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(48), lambda: secrets.token_hex(32)])
def test_production_accepts_a_random_secret(make: object) -> None:
    secret = make()  # type: ignore[operator]
    assert estimated_entropy_bits(secret) >= 96
    assert production(jwt_secret=secret).production_problems() == []


def test_a_weak_metrics_token_is_refused_in_production_too() -> None:
    problems = production(metrics_token="metrics" * 5).production_problems()
    assert problems == [problems[0]] and problems[0].startswith("HUB_METRICS_TOKEN is too predictable")
    assert production(metrics_token=secrets.token_urlsafe(32)).production_problems() == []


async def test_metrics_answer_only_to_their_token_when_one_is_set(backend: Backend, data_dir: Path) -> None:
    token = secrets.token_urlsafe(32)
    async with running_hub(backend.settings(data_dir, metrics_token=token)) as hub, http_client(hub.url) as http:
        anonymous = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": f"Bearer {token[:-1]}x"})
        scraper = await http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert anonymous.status_code == 401 and "HUB_METRICS_TOKEN" in anonymous.json()["detail"]
    assert wrong.status_code == 401
    assert scraper.status_code == 200 and "hub_socket_connections" in scraper.text


async def test_production_closes_metrics_without_a_token(backend: Backend, data_dir: Path) -> None:
    if not backend.database_url or backend.database_url.startswith("sqlite"):
        pytest.skip("production refuses SQLite; covered on the scale-out backend")
    settings = backend.settings(data_dir, env="production", jwt_secret=STRONG)
    async with running_hub(settings) as hub, http_client(hub.url) as http:
        closed = await http.get("/metrics")
        health = await http.get("/health")
    assert closed.status_code == 403 and "HUB_METRICS_TOKEN" in closed.json()["detail"]
    assert health.status_code == 200
