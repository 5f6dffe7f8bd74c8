from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class PreferenceIn(msgspec.Struct, forbid_unknown_fields=True):
    channels: list[str] = []
    language: str | None = None
    timezone: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    quiet_start: Clock | None = None
    quiet_end: Clock | None = None
    opted_out: bool = False


class PreferenceOut(msgspec.Struct):
    recipient_kind: str
    recipient_id: str
    channels: list[str]
    language: str | None
    timezone: str | None
    quiet_start: str | None
    quiet_end: str | None
    opted_out: bool


class SenderIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""


class SmsSenderIn(msgspec.Struct, forbid_unknown_fields=True):
    number: Annotated[str, msgspec.Meta(min_length=3, max_length=40)] | None


class SmsSenderOut(msgspec.Struct):
    number: str | None  # None: texts go out from the hub's default sender, shared with other organizations


class SenderOut(msgspec.Struct):
    desk: str
    email: str
    name: str
    categories: list[str]


class NotificationOut(msgspec.Struct):
    id: str
    category: str
    channel: str
    recipient: str
    subject: str
    status: str
    attempts: int
    language: str
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    note: str | None
    provider: str | None
    provider_status: str | None
    sender: str
    reply_to: str | None


class NotificationDetail(NotificationOut):
    body: str
    html_body: str | None
    idempotency_key: str
    event_name: str | None
    group_id: str | None
    assignment_id: str | None
    voucher_id: str | None
    provider_message_id: str | None
    file: str | None
