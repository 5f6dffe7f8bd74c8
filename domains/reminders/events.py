from __future__ import annotations

from typing import Any

from hub.bus import Event


class ReminderSent(Event, frozen=True, kw_only=True):
    name = "reminder.sent"
    group_id: str
    number: str
    cadence: str
    urgent: bool
    items: list[dict[str, Any]]
    recipients: int
