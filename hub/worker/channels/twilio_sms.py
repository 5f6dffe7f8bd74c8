"""SMS through Twilio's official client (Messages API), called off the event loop."""

from __future__ import annotations

import asyncio
from typing import Any

from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]
from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from domains.kernel.settings import Settings
from domains.notifications.delivery import Delivery, OutgoingMessage, PermanentFailure

STATUS_PATH = "/api/v1/notifications/twilio/status"
RETRYABLE_CLIENT_ERRORS = (408, 409, 429)


class TwilioSms:
    def __init__(self, settings: Settings) -> None:
        assert settings.twilio_account_sid and settings.twilio_auth_token
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=TwilioHttpClient(timeout=settings.provider_timeout_seconds),
        )
        if settings.twilio_base_url:
            # The Api domain builds every Messages URL from this base (tests point it at a local server).
            self.client.api.base_url = settings.twilio_base_url.rstrip("/")
        self.sender: dict[str, Any] = (
            {"messaging_service_sid": settings.twilio_messaging_service_sid}
            if settings.twilio_messaging_service_sid
            else {"from_": settings.twilio_from}
        )
        self.public_url = (settings.public_url or "").rstrip("/")

    async def send(self, message: OutgoingMessage) -> Delivery:
        # An organization's own number (stored as the message's sender) over the hub's default sender.
        sender = {"from_": message.sender} if message.sender.startswith("+") else self.sender
        fields: dict[str, Any] = {"to": message.to, "body": message.text, **sender}
        if self.public_url:
            # The id in the callback URL finds the row even if the report beats our own commit.
            fields["status_callback"] = f"{self.public_url}{STATUS_PATH}?notification={message.id}"
        try:
            created = await asyncio.to_thread(self.client.messages.create, **fields)
        except TwilioRestException as exc:
            reason = f"Twilio {exc.status} (error {exc.code}): {exc.msg}"
            if 400 <= exc.status < 500 and exc.status not in RETRYABLE_CLIENT_ERRORS:
                raise PermanentFailure(reason) from None
            raise ConnectionError(reason) from None
        return Delivery("twilio", created.sid, created.status)
