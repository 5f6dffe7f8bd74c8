"""What happens to an alert. Each names its audience: the dispatch board and the group's staff in their own
`user:<id>` rooms (so whoever of them is online hears it wherever they are); never the travelers."""

from __future__ import annotations

import uuid
from typing import Any

from domains.kernel.bus import Event


class AlertRaised(Event, frozen=True, kw_only=True):
    name = "alert.raised"
    alert_id: uuid.UUID
    group_id: uuid.UUID
    alert: dict[str, Any]


class AlertEscalated(Event, frozen=True, kw_only=True):
    name = "alert.escalated"
    alert_id: uuid.UUID
    group_id: uuid.UUID
    level: int
    told: list[str]  # the names of the people told at this step


class AlertAcknowledged(Event, frozen=True, kw_only=True):
    name = "alert.acknowledged"
    alert_id: uuid.UUID
    group_id: uuid.UUID
    acknowledged_by: uuid.UUID
    acknowledged_by_name: str
    acknowledged_at: str
