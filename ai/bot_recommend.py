"""'Anything nice for dinner tonight near the hotel?': the group's recommendations, read out.

The ranking is ``ai.recommend.recommend_for_group`` (similarity to the group's itinerary and interests,
filtered by city, date, open hours, diets, group size). This module only picks what to ask for: the kind
from the question's words, the day and time from the conversation, and where: a catalog place the traveler
named, else the hotel they sleep at that night. When recommendations cannot be had, the traveler is pointed
at their guide instead of getting an error.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
import uuid
from datetime import date
from typing import Any

from ai.bot_answers import Answer, Question, trip_day
from ai.bot_replies import day_text, say
from ai.entity_base import fold, word_set
from domains.groups.traveler_view import TravelerView
from hub.core import Hub

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


async def recommend(hub: Hub, view: TravelerView, q: Question, places: dict[str, tuple[float, float]]) -> Answer:
    lang = q.language
    day = trip_day(q, q.today)
    at_time = str(q.slots.get("time") or (EVENING if _TONIGHT.search(fold(q.text)) else "")) or None
    kind = kind_of(q.text) or q.slots.get("kind")
    near: tuple[float, float] | None = None
    near_name = ""
    place_id = q.slots.get("place")
    if place_id and str(place_id) in places:
        near, near_name = places[str(place_id)], str(q.slots.get("place_name", ""))
    else:
        stay = await view.hotel(q.trip, day)
        if stay is not None and stay.lat is not None and stay.lon is not None:
            near, near_name = (stay.lat, stay.lon), stay.name
    used = {"date": day.isoformat(), **({"kind": kind} if kind else {}), **({"time": at_time} if at_time else {})}
    items = await _ask(hub, q.trip.org_id, q.trip.group_id, kind, day, at_time, near)
    if not items:
        return Answer(say("no_recommendations", lang), used)
    when = say("tonight", lang) if at_time == EVENING and day == q.today else day_text(day, lang)
    lines = "; ".join(_line(item) for item in items[:K])
    near_text = say("recommend_near", lang, place=near_name) if near_name else ""
    return Answer(say("recommend", lang, when=when, near=near_text, items=lines), used)


def _line(item: Any) -> str:
    reason = str(getattr(item, "reason", "") or "")
    return f"{item.name} ({reason})" if reason else str(item.name)


async def _ask(
    hub: Hub,
    org_id: uuid.UUID,
    group_id: uuid.UUID,
    kind: str | None,
    day: date,
    at_time: str | None,
    near: tuple[float, float] | None,
) -> list[Any]:
    try:
        recommender = importlib.import_module("ai.recommend")
        result = recommender.recommend_for_group(
            hub, org_id, group_id, kind=kind, k=K, on_date=day, at_time=at_time, near=near
        )
        if inspect.isawaitable(result):
            result = await result
        return list(result)
    except Exception:
        # Recommendations are a nicety: a missing index or a bad catalog row must not fail the conversation.
        log.exception("recommendations failed; the traveler is pointed at their guide")
        return []
