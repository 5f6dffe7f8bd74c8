"""Rules an item must keep (errors) and things worth a second look (warnings)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from domains.itineraries.ops import sort_key
from domains.itineraries.schemas import Item, PlanWarning
from domains.kernel.errors import Invalid

EARTH_RADIUS_KM = 6371.0
DEFAULT_SPEED_KMH = 30.0


def check_item(item: Item, start_date: date, end_date: date) -> None:
    """An item lies within the travel dates and ends after it starts (the same day)."""
    day = date.fromisoformat(item.day)
    if not start_date <= day <= end_date:
        raise Invalid(f"the day {day} is outside the travel dates {start_date} to {end_date}")
    if item.start and item.end and item.end <= item.start:
        raise Invalid(f"'{item.title}' must end after it starts ({item.start}-{item.end})")
    if item.end and not item.start:
        raise Invalid(f"'{item.title}' has an end time but no start time")


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def haversine_km(a: dict[str, Any], b: dict[str, Any]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _located(item: Item) -> bool:
    place = item.place or {}
    return place.get("lat") is not None and place.get("lon") is not None


def _warning(code: str, day: str, items: list[Item], message: str) -> PlanWarning:
    return PlanWarning(code=code, day=day, item_ids=[item.id for item in items], message=message)


def _start(item: Item) -> str:
    """The start of a timed item (the warnings below only look at timed ones)."""
    return item.start or ""


def day_warnings(day: str, items: list[Item], speed_kmh: float) -> list[PlanWarning]:
    """Overlapping timed items, and consecutive places too far apart for the time between them."""
    timed = sorted((item for item in items if item.start), key=lambda item: (_start(item), *sort_key(item)))
    found: list[PlanWarning] = []
    overlapping: set[tuple[str, str]] = set()
    for i, first in enumerate(timed):
        if not first.end:
            continue
        for second in timed[i + 1 :]:
            if _start(second) >= first.end:
                break
            overlapping.add((first.id, second.id))
            found.append(
                _warning(
                    "overlap",
                    day,
                    [first, second],
                    f"'{first.title}' ({first.start}-{first.end}) overlaps '{second.title}' (from {second.start})",
                )
            )
    for first, second in itertools.pairwise(timed):
        if (first.id, second.id) in overlapping or not (_located(first) and _located(second)):
            continue
        distance = haversine_km(first.place or {}, second.place or {})
        needed = distance / speed_kmh * 60
        gap = minutes(_start(second)) - minutes(first.end or _start(first))
        if gap < needed:
            found.append(
                _warning(
                    "tight_gap",
                    day,
                    [first, second],
                    f"{distance:.1f} km from '{first.title}' to '{second.title}' needs about "
                    f"{math.ceil(needed)} min at {speed_kmh:g} km/h; the plan leaves {gap} min",
                )
            )
    return found


def warnings(items: Iterable[Item], start_date: date, end_date: date, speed_kmh: float) -> list[PlanWarning]:
    by_day: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if not item.removed:
            by_day[item.day].append(item)
    found: list[PlanWarning] = []
    for day in sorted(by_day):
        if not start_date <= date.fromisoformat(day) <= end_date:
            # Possible only when the group's dates changed after planning.
            found.append(_warning("outside_dates", day, by_day[day], f"{day} is outside the travel dates"))
        found.extend(day_warnings(day, by_day[day], speed_kmh))
    return found
