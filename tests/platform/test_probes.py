"""An operator probes the hub: health, readiness, metrics, docs, and the headers on every response."""

from __future__ import annotations

import secrets

import httpx
import pytest

from tests.support.backends import Backend
from tests.support.server import free_port, http_client, running_hub


async def test_health_and_readiness(http: httpx.AsyncClient, backend: Backend) -> None:
    assert (await http.get("/health")).json() == {"status": "ok"}
    ready = await http.get("/readiness")
    assert ready.status_code == 200
    assert "database" in ready.json()["checks"]
    if backend.redis_url:
        assert "redis" in ready.json()["checks"]


async def test_readiness_names_redis_when_it_is_unreachable(backend: Backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    closed_port = free_port()
    settings = backend.settings(tmp_path, redis_url=f"redis://127.0.0.1:{closed_port}/0")
    async with running_hub(settings) as hub, http_client(hub.url) as http:
        response = await http.get("/readiness")
        assert (await http.get("/health")).status_code == 200
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert "redis unreachable" in response.json()["detail"]


async def test_every_response_carries_security_headers(http: httpx.AsyncClient) -> None:
    for path in ("/health", "/api/v1/me", "/api/docs", "/does-not-exist"):
        response = await http.get(path)
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        assert response.headers["x-request-id"]
        # Development and test runs are plain HTTP: HSTS would pin browsers to HTTPS on localhost.
        assert "strict-transport-security" not in response.headers


async def test_a_request_id_sent_by_the_client_is_kept(http: httpx.AsyncClient) -> None:
    response = await http.get("/health", headers={"X-Request-ID": "trace-abc-123"})
    assert response.headers["x-request-id"] == "trace-abc-123"


async def test_cors_is_closed_unless_configured(http: httpx.AsyncClient) -> None:
    preflight = await http.options(
        "/api/v1/auth/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_metrics_count_requests_by_route_and_status(http: httpx.AsyncClient) -> None:
    await http.get("/api/v1/me")
    metrics = (await http.get("/metrics")).text
    assert 'hub_requests_total{app_name="spirit_hub",method="GET",path="/api/v1/me",status_code="401"}' in metrics
    assert "hub_request_duration_seconds_bucket" in metrics


async def test_openapi_and_docs_are_served(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    assert "/api/v1/auth/login" in schema["paths"]
    docs = await http.get("/api/docs")
    assert docs.status_code == 200
    assert "<script" in docs.text and "<script>" not in docs.text  # scripts are files, never inline
    for asset in ("/static/js/api-docs.js", "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js"):
        assert (await http.get(asset)).status_code == 200, asset


async def test_production_sends_hsts(backend: Backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not backend.database_url or backend.database_url.startswith("sqlite"):
        pytest.skip("production refuses SQLite; covered on the scale-out backend")
    settings = backend.settings(tmp_path, env="production", jwt_secret=secrets.token_urlsafe(48))
    async with running_hub(settings) as hub, http_client(hub.url) as http:
        response = await http.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")
