from __future__ import annotations

import uuid
from typing import Any

from domains.kernel.bus import Event


class ReminderSent(Event, frozen=True, kw_only=True):
    name = "reminder.sent"
    group_id: uuid.UUID
    number: str
    cadence: str
    urgent: bool
    key: str  # group, cadence and period: what makes this reminder unique
    days_left: int
    items: list[dict[str, Any]]
