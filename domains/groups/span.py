"""How long a group may travel: the dates in order and at most a configured number of days.

A typo in a year (2127 for 2027) would otherwise make a trip of a century, and every view that walks the
days (the itinerary, its exports) would walk them all.
"""

from __future__ import annotations

from datetime import date

from domains.kernel.errors import Invalid

# The default of the `HUB_MAX_GROUP_DAYS` setting.
DEFAULT_MAX_GROUP_DAYS = 120


def span_days(start: date, end: date) -> int:
    """The number of travel days, both ends included."""
    return (end - start).days + 1


def check_span(start: date, end: date, max_days: int) -> None:
    if end < start:
        raise Invalid("end_date must not be before start_date")
    days = span_days(start, end)
    if days > max_days:
        raise Invalid(
            f"a group may span at most {max_days} days; {start.isoformat()} to {end.isoformat()} is {days} days"
            " (check the years)"
        )
