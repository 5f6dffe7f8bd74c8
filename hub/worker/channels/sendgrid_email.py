"""Email through SendGrid's official client (v3 Mail Send), called off the event loop."""

from __future__ import annotations

import asyncio
import base64

from python_http_client.exceptions import HTTPError  # type: ignore[import-untyped]
from sendgrid import SendGridAPIClient  # type: ignore[import-untyped]
from sendgrid.helpers.mail import (  # type: ignore[import-untyped]
    Attachment,
    CustomArg,
    Disposition,
    Email,
    FileContent,
    FileName,
    FileType,
    Mail,
    ReplyTo,
    To,
)

from domains.kernel.settings import Settings
from domains.notifications.delivery import Delivery, OutgoingMessage, PermanentFailure

RETRYABLE_CLIENT_ERRORS = (408, 409, 429)


class SendGridEmail:
    def __init__(self, settings: Settings) -> None:
        assert settings.sendgrid_api_key
        self.client = SendGridAPIClient(
            settings.sendgrid_api_key, host=(settings.sendgrid_base_url or "https://api.sendgrid.com").rstrip("/")
        )
        self.client.client.timeout = settings.provider_timeout_seconds

    async def send(self, message: OutgoingMessage) -> Delivery:
        mail = Mail(
            from_email=Email(message.sender, message.sender_name or None),
            to_emails=To(message.to),
            subject=message.subject,
            plain_text_content=message.text,
            html_content=message.html or None,
        )
        if message.reply_to:
            mail.reply_to = ReplyTo(message.reply_to)
        # Echoed back in every event webhook: how a delivery report finds its notification.
        mail.custom_arg = CustomArg("notification_id", str(message.id))
        if message.attachment is not None:
            mail.attachment = Attachment(
                FileContent(base64.b64encode(message.attachment.content).decode()),
                FileName(message.attachment.filename),
                FileType(message.attachment.content_type),
                Disposition("attachment"),
            )
        try:
            response = await asyncio.to_thread(self.client.send, mail)
        except HTTPError as exc:
            reason = f"SendGrid {exc.status_code}: {exc.body!r}"[:900]
            if 400 <= exc.status_code < 500 and exc.status_code not in RETRYABLE_CLIENT_ERRORS:
                raise PermanentFailure(reason) from None
            raise ConnectionError(reason) from None
        return Delivery("sendgrid", response.headers.get("X-Message-Id"), "accepted")
