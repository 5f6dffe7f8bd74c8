"""One line saying why an item is recommended: what it is like, what it offers, when it closes, how far."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np

from ai.recommend.catalog_table import ItemRecord, closing_time
from ai.recommend.group_context import CoBooked
from ai.recommend.ranking import dot_rows

STRONG_CO_BOOKING = 0.3  # below this, the likeness to the plan explains the pick better


@dataclass(frozen=True, slots=True)
class Source:
    """Something the group's taste is made of: an itinerary item or a stated interest."""

    label: str  # "the Jerónimos Monastery visit on your itinerary", "your interest in wine"
    vector: np.ndarray
    title: str = ""  # the plan item's own title


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reason(
    item: ItemRecord,
    vector: np.ndarray,
    sources: list[Source],
    co_booked: CoBooked | None,
    linked: dict[uuid.UUID, Source],
    *,
    dietary: set[str],
    weekday: int | None,
    minute: int | None,
    distance_km: float | None,
) -> str:
    parts: list[str] = []
    shared = [linked[i] for i in co_booked.because_of if i in linked] if co_booked is not None else []
    if co_booked is not None and co_booked.weight >= STRONG_CO_BOOKING and shared:
        # Of the plan items those groups shared with this one, name the one most like the recommendation.
        closest = shared[int(np.argmax(dot_rows(np.stack([s.vector for s in shared]), vector)))]
        parts.append(f"Often booked by groups who also did {closest.title}")
    elif sources:
        likeness = dot_rows(np.stack([source.vector for source in sources]), vector)
        best = sources[int(np.argmax(likeness))]
        parts.append(f"Like {best.label}" if not best.label.startswith("your interest") else f"Matches {best.label}")
    else:
        parts.append(f"Popular {item.kind} in {item.city}")
    if item.kind == "restaurant":
        offered = [diet for diet in item.dietary if diet in dietary] or list(item.dietary[:2])
        if offered:
            parts.append(f"{_join(offered)} options")
    if weekday is not None and minute is not None:
        closes = closing_time(item, weekday, minute)
        if closes:
            parts.append(f"open until {closes}")
    if distance_km is not None:
        parts.append(
            f"{distance_km:.1f} km away" if distance_km >= 1 else f"{round(distance_km * 1000, -1):.0f} m away"
        )
    return "; ".join(parts)
