from __future__ import annotations

import uuid
from typing import Any

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class ReminderSent(Event, frozen=True, kw_only=True):
    """What the office still misses ("no guide assigned", a traveler without phone): staff only."""

    name = "reminder.sent"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    number: str
    cadence: str
    urgent: bool
    key: str  # group, cadence and period: what makes this reminder unique
    days_left: int
    items: list[dict[str, Any]]
