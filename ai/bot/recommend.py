"""'Anything nice for dinner tonight near the hotel?': the group's recommendations, read out.

The ranking is ``ai.recommend.recommendations.recommend_for_group`` (similarity to the group's itinerary and interests,
filtered by city, date, open hours, diets, group size). This module only picks what to ask for: the kind
from the question's words, the day and time from the conversation, and where: a catalog place the traveler
named, else the hotel they sleep at that night. When recommendations cannot be had, the traveler is pointed
at their guide instead of getting an error.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from ai.bot.answers import Answer, Question, trip_day
from ai.bot.replies import day_text, say
from ai.nlu.entities.base import fold, word_set
from ai.recommend.index import CatalogIndexes
from ai.recommend.recommendations import Recommendation, recommend_for_group
from domains.views.trip import TravelerView

log = logging.getLogger(__name__)
K = 3
EVENING = "20:00"  # what "tonight" means when no time is given
_KINDS = (
    ("restaurant", word_set("restaurant restaurants restaurante restaurantes dinner lunch eat food dine tapas "
                            "cenar cena comer comida almorzar")),
    ("tour", word_set("tour tours excursion excursions guided excursiones visita")),
    ("activity", word_set("activity activities things show concert actividad actividades hacer espectaculo")),
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
_TONIGHT = re.compile(r"\b(?:tonight|this evening|esta noche|noche)\b")


def kind_of(text: str) -> str | None:
    words = set(_WORD.findall(fold(text)))
    return next((kind for kind, vocabulary in _KINDS if words & vocabulary), None)


@dataclass(frozen=True, slots=True)
class Wanted:
    """What to ask the recommender for; read from the trip inside the assistant's unit of work."""

    kind: str | None
    day: date
    at_time: str | None
    near: tuple[float, float] | None
    near_name: str


async def wanted(view: TravelerView, q: Question, places: dict[str, tuple[float, float]]) -> Wanted:
    day = trip_day(q, q.today)
    at_time = str(q.slots.get("time") or (EVENING if _TONIGHT.search(fold(q.text)) else "")) or None
    kind = kind_of(q.text) or q.slots.get("kind")
    place_id = q.slots.get("place")
    if place_id and str(place_id) in places:
        return Wanted(kind, day, at_time, places[str(place_id)], str(q.slots.get("place_name", "")))
    stay = await view.hotel(q.trip, day)
    if stay is not None and stay.lat is not None and stay.lon is not None:
        return Wanted(kind, day, at_time, (stay.lat, stay.lon), stay.name)
    return Wanted(kind, day, at_time, None, "")


async def recommend(indexes: CatalogIndexes, q: Question, want: Wanted) -> Answer:
    """Runs after the assistant's unit of work: the recommender opens its own (SQLite allows one writer)."""
    lang = q.language
    used: dict[str, Any] = {"date": want.day.isoformat()}
    used.update({"kind": want.kind} if want.kind else {})
    used.update({"time": want.at_time} if want.at_time else {})
    items = await _ask(indexes, q.trip.org_id, q.trip.group_id, want)
    if not items:
        return Answer(say("no_recommendations", lang), used)
    when = say("tonight", lang) if want.at_time == EVENING and want.day == q.today else day_text(want.day, lang)
    lines = "; ".join(_line(item) for item in items[:K])
    near_text = say("recommend_near", lang, place=want.near_name) if want.near_name else ""
    return Answer(say("recommend", lang, when=when, near=near_text, items=lines), used)


def _line(item: Recommendation) -> str:
    return f"{item.name} ({item.reason})" if item.reason else item.name


async def _ask(indexes: CatalogIndexes, org_id: uuid.UUID, group_id: uuid.UUID, want: Wanted) -> list[Recommendation]:
    try:
        return await recommend_for_group(
            indexes, org_id, group_id, kind=want.kind, k=K, on_date=want.day, at_time=want.at_time, near=want.near
        )
    except Exception:
        # Recommendations are a nicety: a missing index or a bad catalog row must not fail the conversation.
        log.exception("recommendations failed; the traveler is pointed at their guide")
        return []
