"""What every delivery channel receives and answers: one interface for SMS, email and the local outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domains.notifications.attachments import Attachment


@dataclass(frozen=True)
class OutgoingMessage:
    id: uuid.UUID
    channel: str  # email | sms
    to: str
    subject: str
    text: str
    html: str | None
    sender: str
    sender_name: str
    reply_to: str | None
    attachment: Attachment | None
    created_at: datetime


@dataclass(frozen=True)
class Delivery:
    """The provider accepted the message: its id (for status reports) and first status."""

    provider: str
    message_id: str | None
    status: str | None = None


class PermanentFailure(Exception):
    """The provider refused this message for good (a bad number, a rejected sender): no retry helps."""


class Channel(Protocol):
    async def send(self, message: OutgoingMessage) -> Delivery | None: ...
