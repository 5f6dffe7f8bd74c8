from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class DeliveryOut(msgspec.Struct, frozen=True):
    name: str
    role: str
    channel: str  # in_app | sms | email | sms+email | none (nobody had an address)
    level: int
    at: datetime


class AlertOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    group_id: uuid.UUID
    group_number: str
    group_name: str
    kind: str  # emergency | handoff
    reason: str
    traveler_name: str
    message: str
    created_at: datetime
    level: int
    acknowledged: bool
    acknowledged_by: uuid.UUID | None
    acknowledged_by_name: str | None
    acknowledged_at: datetime | None
    deliveries: list[DeliveryOut]
