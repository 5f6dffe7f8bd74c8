"""Follow-ups: "and the day after?", "¿y el viernes?", "what about the driver?" reuse the conversation so far.

A message is a follow-up when it opens like one ("and", "what about", "y", "¿y", "qué tal") or shifts the
last date ("the day after", "el día siguiente"). Then the slots not restated (date, time, place, kind) carry
over, and when the classifier has nothing specific to say (a generic itinerary question, an unclear one) the
last intent is kept: "when is pickup tomorrow?" → "and the day after?" is a pickup question about the day
after tomorrow. A specific new intent wins ("and the driver?" after "who is my guide?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ai.nlu.entities.base import Entity, fold

FOLLOW_UP_OPENERS = re.compile(
    r"^\W*(?:and|also|what about|how about|same for|then|y|e|tambien|que tal|y que tal|y para|y el|y la|y los)\b"
)
_NEXT_DAY = re.compile(
    r"\b(?:the\s+)?(?:day\s+after|next\s+day|following\s+day)(?!\s+tomorrow)\b"
    r"|\b(?:el|al)\s+dia\s+(?:siguiente|despues)\b|\bdia\s+siguiente\b"
)
_DAY_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:day\s+before|previous\s+day)(?!\s+yesterday)\b|\b(?:el|al)\s+dia\s+anterior\b"
)
# Intents that read a date/place from the conversation: worth carrying over.
FOLLOWABLE = frozenset(
    {
        "itinerary_query",
        "pickup_time",
        "meeting_point",
        "hotel_info",
        "flight_info",
        "recommendation_request",
        "guide_contact",
        "driver_contact",
        "booking_status",
    }
)
# What the classifier says for a bare "and on Friday?": nothing that should replace the last intent.
GENERIC = frozenset({"itinerary_query", "out_of_scope"})
SLOT_TYPES = ("date", "time", "place")


@dataclass(frozen=True, slots=True)
class Resolved:
    intent: str
    slots: dict[str, Any]
    follow_up: bool


def slots_of(entities: list[Entity]) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for entity in entities:
        if entity.type in SLOT_TYPES and entity.type not in slots:
            slots[entity.type] = entity.value
            if entity.type == "place":
                slots["place_name"] = entity.extra.get("name", entity.text)
    return slots


def resolve(
    text: str,
    predicted: str,
    confident: bool,
    entities: list[Entity],
    last_intent: str | None,
    last_slots: dict[str, Any],
) -> Resolved:
    slots = slots_of(entities)
    folded = fold(text)
    shift = 1 if _NEXT_DAY.search(folded) else -1 if _DAY_BEFORE.search(folded) else 0
    opener = bool(FOLLOW_UP_OPENERS.search(folded))
    if last_intent not in FOLLOWABLE or not (opener or shift):
        return Resolved(predicted, slots, False)
    intent = predicted
    if predicted in GENERIC or not confident:
        intent = last_intent
    merged = {**last_slots, **slots}
    if shift and "date" not in slots and "date" in last_slots:
        merged["date"] = (date.fromisoformat(str(last_slots["date"])) + timedelta(days=shift)).isoformat()
    return Resolved(intent, merged, True)
