"""The answers that involve people: recording diets and assistance needs, and handing a conversation over."""

from __future__ import annotations

import re

from ai.bot.answers import Answer, Question
from ai.bot.replies import say, word
from domains.views.trip import TravelerView

MAX_NOTE = 200
_SPACES = re.compile(r"\s+")

HANDOFF_TEMPLATES = {"complaint": "handoff_complaint", "negative_sentiment": "handoff_complaint"}


def _note(text: str) -> str:
    cleaned = _SPACES.sub(" ", text).strip()
    return cleaned if len(cleaned) <= MAX_NOTE else cleaned[: MAX_NOTE - 1].rstrip() + "…"


async def dietary(view: TravelerView, q: Question) -> Answer:
    diets = sorted({str(v) for v in q.entity_values("dietary")})
    lang = q.language
    if diets:
        known = set(q.trip.dietary)
        if set(diets) <= known:
            return Answer(say("already_known", lang, needs=", ".join(diets)))
        return Answer(say("dietary_recorded", lang, needs=", ".join(diets)), dietary=diets)
    # A diet we have no label for ("no shellfish please") is kept in the traveler's own words.
    note = _note(q.text)
    return Answer(say("assistance_recorded", lang, needs=note), special_needs=f"diet: {note}")


async def assistance(view: TravelerView, q: Question) -> Answer:
    note = _note(q.text)
    if note.lower() in q.trip.special_needs.lower():
        return Answer(say("already_known", q.language, needs=note))
    return Answer(say("assistance_recorded", q.language, needs=note), special_needs=note)


async def handoff(view: TravelerView, q: Question, reason: str) -> Answer:
    """Tell the traveler a person will answer; an emergency also gets the phones to call right now."""
    lang = q.language
    contacts = await view.contacts(q.trip)
    coordinator = next((c for c in contacts if c.role == "coordinator"), None)
    who = f"{say('your_coordinator', lang)} {coordinator.name}" if coordinator else say("the_team", lang)
    if reason == "emergency":
        callable_people = [c for c in contacts if c.phone][:3]
        lines = " ".join(
            say("emergency_contact", lang, role=word(c.role, lang).capitalize(), name=c.name, phone=c.phone)
            for c in callable_people
        )
        return Answer(say("handoff_emergency", lang, contacts=lines, who=who), handoff_reason=reason)
    return Answer(say(HANDOFF_TEMPLATES.get(reason, "handoff"), lang, who=who), handoff_reason=reason)
