"""How often a group's missing data is chased, from the days left until travel (the product's thresholds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Cadence:
    name: str
    every_days: int
    urgent: bool = False

    def slot(self, today: date) -> int:
        """Which period `today` falls in; one reminder per group, cadence and slot."""
        return today.toordinal() // self.every_days


FORTNIGHTLY = Cadence("every_14_days", 14)
EVERY_3_DAYS = Cadence("every_3_days", 3)
DAILY = Cadence("daily", 1)
URGENT_DAILY = Cadence("urgent_daily", 1, urgent=True)


def cadence_for(days_until_travel: int, has_critical: bool) -> Cadence:
    if days_until_travel > 30:
        return FORTNIGHTLY
    if days_until_travel >= 15:
        return EVERY_3_DAYS
    return URGENT_DAILY if has_critical else DAILY
