"""Fixtures: a recording stand-in for Twilio and SendGrid, and hubs whose real clients point at it."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from domains.kernel.runtime import Hub
from hub.wiring import subscribe_notifications
from tests.support.backends import Backend
from tests.support.providers import RecordingProvider, recording_provider
from tests.support.server import RunningHub, running_hub

TWILIO_SID = "AC" + "5" * 32
TWILIO_TOKEN = "twilio-test-token"
TWILIO_FROM = "+15005550006"
SENDGRID_API_KEY = "SG.test-key"
PUBLIC_URL = "https://hub.example.test"


# The SendGrid event webhook's signing key pair, made here: the hub is given only the public half.
SENDGRID_KEY = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(
    SENDGRID_KEY.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
).decode()


def provider_settings(url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "twilio_from": TWILIO_FROM,
        "twilio_base_url": url,
        "sendgrid_api_key": SENDGRID_API_KEY,
        "sendgrid_base_url": url,
        "public_url": PUBLIC_URL,
        "mail_domain": "mail.lisbon-tours.example",
        "provider_timeout_seconds": 1.0,
        "outbox_max_attempts": 3,
        **overrides,
    }


@pytest.fixture
def provider() -> Iterator[RecordingProvider]:
    with recording_provider() as running:
        yield running


@pytest.fixture
async def wired_hub(private_backend: Backend, data_dir: Path, provider: RecordingProvider) -> AsyncIterator[Hub]:
    """A hub with the notification subscribers, delivering through the real clients to `provider`; its outbox
    holds only this test's notifications."""
    hub = Hub(private_backend.settings(data_dir, **provider_settings(provider.url)))
    subscribe_notifications(hub)
    try:
        yield hub
    finally:
        await hub.close()


@pytest.fixture(scope="module")
async def notifying(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHub]:
    settings = backend.settings(
        tmp_path_factory.mktemp("notifying"), scheduler_enabled=False, twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN, sendgrid_webhook_public_key=SENDGRID_PUBLIC, public_url=PUBLIC_URL,
        socket_ping_interval_seconds=1, socket_ping_timeout_seconds=2,
    )  # fmt: skip
    async with running_hub(settings) as running:
        yield running


@pytest.fixture
async def client(notifying: RunningHub) -> AsyncIterator[httpx.AsyncClient]:
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    async with httpx.AsyncClient(base_url=notifying.url, headers={"X-Forwarded-For": address}, timeout=30) as http:
        yield http


@pytest.fixture
async def office(notifying: RunningHub) -> AsyncIterator[Hub]:
    """A second hub on the server's database, for the test's own reads and writes.

    The server's engine belongs to the event loop of the server's thread, so the test never uses it.
    """
    hub = Hub(notifying.settings)
    subscribe_notifications(hub)
    try:
        yield hub
    finally:
        await hub.close()
