"""Answers grounded in the asking traveler's own trip, one function per intent.

Everything comes from ``TravelerView``, which is scoped to the traveler's participant row; ids, references or
numbers mentioned in the question are only ever compared with the traveler's own, never looked up.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ai.bot.replies import day_text, moment_text, say, word
from ai.nlu.entities.base import Entity
from domains.views.trip import PlanItem, StaffContact, TravelerView, Trip


@dataclass
class Question:
    text: str
    intent: str
    language: str
    trip: Trip
    now: datetime  # local wall-clock time in the group's timezone
    entities: list[Entity]
    slots: dict[str, Any]  # date/time/place from this question, or carried over from the conversation

    @property
    def today(self) -> date:
        return self.now.date()

    def entity_values(self, kind: str) -> list[Any]:
        return [e.value for e in self.entities if e.type == kind]


@dataclass
class Answer:
    text: str
    used_slots: dict[str, Any] = field(default_factory=dict)  # remembered for follow-ups
    handoff_reason: str | None = None
    dietary: list[str] = field(default_factory=list)  # to record on the traveler
    special_needs: str = ""


Responder = Callable[[TravelerView, Question], Awaitable[Answer]]


def _asked_day(q: Question, default: date) -> date:
    raw = q.slots.get("date")
    return date.fromisoformat(str(raw)) if raw else default


def trip_day(q: Question, default: date | None = None) -> date:
    """The day a question is about: the one it names, else `default`, else today (or day one, before the trip)."""
    if default is None:
        default = max(q.today, q.trip.start_date) if q.today <= q.trip.end_date else q.trip.start_date
    return _asked_day(q, default)


def _outside(q: Question, day: date) -> str | None:
    if q.trip.start_date <= day <= q.trip.end_date:
        return None
    lang = q.language
    return say(
        "outside_trip",
        lang,
        day=day_text(day, lang),
        start=day_text(q.trip.start_date, lang),
        end=day_text(q.trip.end_date, lang),
    )


def _item_line(item: PlanItem, lang: str) -> str:
    when = f"{item.start} " if item.start else ""
    where = say("at_place", lang, place=item.place_name) if item.place_name and item.place_name != item.title else ""
    return f"{when}{item.title}{where}"


async def itinerary(view: TravelerView, q: Question) -> Answer:
    day = trip_day(q)
    used = {"date": day.isoformat()}
    if (outside := _outside(q, day)) is not None:
        return Answer(outside, used)
    items = await view.plan(q.trip, day)
    lang = q.language
    if not items:
        return Answer(say("plan_empty", lang, day=day_text(day, lang)), used)
    lines = "; ".join(_item_line(item, lang) for item in items)
    day_name = day_text(day, lang)
    return Answer(say("plan_day", lang, day=day_name[:1].upper() + day_name[1:], items=lines), used)


async def _first_item(view: TravelerView, q: Question) -> tuple[date, PlanItem | None, str | None]:
    """The day's first timed item. Without a date: today's if it is still ahead, else tomorrow's."""
    if q.slots.get("date"):
        day = _asked_day(q, q.today)
    else:
        today = [i for i in await view.plan(q.trip, q.today) if i.start] if q.trip.start_date <= q.today else []
        upcoming = today and today[0].start and today[0].start > f"{q.now:%H:%M}"
        day = q.today if upcoming else max(q.today + timedelta(days=1), q.trip.start_date)
    outside = _outside(q, day)
    if outside is not None:
        return day, None, outside
    timed = [item for item in await view.plan(q.trip, day) if item.start]
    return day, (timed[0] if timed else None), None


async def pickup(view: TravelerView, q: Question) -> Answer:
    day, item, outside = await _first_item(view, q)
    used = {"date": day.isoformat()}
    lang = q.language
    if outside is not None:
        return Answer(outside, used)
    if item is None:
        return Answer(say("plan_empty", lang, day=day_text(day, lang)), used)
    place = item.place_name + (f" ({item.place_address})" if item.place_address else "")
    where = say("at_place", lang, place=place) if item.place_name else ""
    return Answer(say("pickup", lang, day=day_text(day, lang), time=item.start, title=item.title, place=where), used)


async def meeting_point(view: TravelerView, q: Question) -> Answer:
    day, item, outside = await _first_item(view, q)
    used = {"date": day.isoformat()}
    lang = q.language
    if outside is not None:
        return Answer(outside, used)
    if item is None or not item.place_name:
        return await pickup(view, q)
    place = item.place_name + (f", {item.place_address}" if item.place_address else "")
    return Answer(say("meeting", lang, day=day_text(day, lang), place=place, time=item.start, title=item.title), used)


def contact_line(contact: StaffContact, lang: str) -> str:
    phone = say("contact_phone", lang, phone=contact.phone) if contact.phone else ""
    return say("contact", lang, role=word(contact.role, lang), name=contact.name, phone=phone)


_ROLE_WORDS = (
    ("coordinator", re.compile(r"\b(?:coordinat\w*|coordinador\w*|organi[sz]er|office|oficina)\b", re.IGNORECASE)),
    ("driver", re.compile(r"\b(?:driver|chauffeur|conductor\w*|ch[oó]fer)\b", re.IGNORECASE)),
    ("guide", re.compile(r"\b(?:guide|gu[ií]a)\b", re.IGNORECASE)),
)


def _contact(default_role: str) -> Responder:
    """There is no coordinator intent: 'the coordinator's phone?' arrives as a guide or driver question, so a
    role named in the question wins over the intent's."""

    async def answer(view: TravelerView, q: Question) -> Answer:
        role = next((name for name, pattern in _ROLE_WORDS if pattern.search(q.text)), default_role)
        people = [c for c in await view.contacts(q.trip) if c.role == role]
        lang = q.language
        if not people:
            return Answer(say("no_contact", lang, role=word(role, lang)))
        return Answer(" ".join(contact_line(person, lang) for person in people[:2]))

    return answer


async def hotel(view: TravelerView, q: Question) -> Answer:
    day = trip_day(q)
    stay = await view.hotel(q.trip, day)
    lang = q.language
    if stay is None:
        return Answer(say("no_hotel", lang), {"date": day.isoformat()})
    text = say(
        "hotel",
        lang,
        name=stay.name,
        address=say("hotel_address", lang, address=stay.address) if stay.address else "",
        check_in=day_text(stay.check_in, lang),
        check_in_time=say("hotel_time", lang, time=stay.check_in_time) if stay.check_in_time else "",
        check_out=day_text(stay.check_out, lang),
        room=say("hotel_room", lang, room=stay.room) if stay.room else "",
        phone=say("hotel_phone", lang, phone=stay.phone) if stay.phone else "",
    )
    return Answer(text, {"date": day.isoformat()})


async def flight(view: TravelerView, q: Question) -> Answer:
    legs = await view.flights(q.trip)
    lang = q.language
    numbers = {str(n) for n in q.entity_values("flight_number")}
    prefix = say("only_own", lang) if numbers - {leg.number for leg in legs} else ""
    if not legs:
        return Answer(prefix + say("no_flight", lang))
    chosen = [leg for leg in legs if leg.number in numbers]
    if not chosen and q.slots.get("date"):
        chosen = [leg for leg in legs if leg.departure_local.date().isoformat() == q.slots["date"]]
    if not chosen:  # the next flight still ahead, else the last one
        chosen = [next((leg for leg in legs if leg.departure_local >= q.now), legs[-1])]
    lines = [
        say(
            "flight",
            lang,
            airline=leg.airline,
            number=leg.number,
            origin=leg.departure_airport,
            destination=leg.arrival_airport,
            departure=moment_text(leg.departure_local, lang),
            terminal=leg.departure_terminal or "?",
            gate=say("flight_gate", lang, gate=leg.departure_gate) if leg.departure_gate else "",
            arrival=moment_text(leg.arrival_local, lang),
            arrival_terminal=say("flight_arrival_terminal", lang, terminal=leg.arrival_terminal)
            if leg.arrival_terminal
            else "",
            seat=say("flight_seat", lang, seat=leg.seat) if leg.seat else "",
        )
        for leg in chosen
    ]
    return Answer(prefix + " ".join(lines), {"date": chosen[0].departure_local.date().isoformat()})


async def booking(view: TravelerView, q: Question) -> Answer:
    trip, lang = q.trip, q.language
    mentioned = {str(v).upper() for v in q.entity_values("booking_ref") + q.entity_values("group_number")}
    own = {(trip.booking_reference or "").upper(), trip.group_number.upper()}
    prefix = say("only_own", lang) if mentioned - own else ""
    if trip.booking_reference is None:
        return Answer(prefix + say("no_booking", lang, group=trip.group_name))
    status = word(trip.booking_status or "pending", lang)
    return Answer(prefix + say("booking", lang, reference=trip.booking_reference, status=status))


async def vouchers(view: TravelerView, q: Question) -> Answer:
    lines = await view.vouchers(q.trip)
    lang = q.language
    if not lines:
        return Answer(say("no_vouchers", lang))
    items = "; ".join(
        f"{word(v.type, lang)}{' ' + v.partner if v.partner else ''} ({day_text(v.service_date, lang)}, "
        f"{word(v.status, lang)})"
        for v in lines
    )
    return Answer(say("vouchers", lang, items=items))


async def coordinator_business(view: TravelerView, q: Question) -> Answer:
    coordinators = [c for c in await view.contacts(q.trip) if c.role == "coordinator"]
    lang = q.language
    who = ""
    if coordinators:
        first = coordinators[0]
        who = f" {first.name}" + (f" ({first.phone})" if first.phone else "")
    return Answer(say("ask_coordinator", lang, what=word(q.intent, lang), coordinator=who))


async def lost_item(view: TravelerView, q: Question) -> Answer:
    people = await view.contacts(q.trip)
    lang = q.language
    helper = next((c for c in people if c.role == "guide"), None) or next(iter(people), None)
    if helper is None:
        return Answer(say("lost_item", lang, who=say("the_team", lang), phone=""), handoff_reason="lost_item")
    phone = f" ({helper.phone})" if helper.phone else ""
    return Answer(say("lost_item", lang, who=helper.name, phone=phone))


def _simple(key: str) -> Responder:
    async def answer(view: TravelerView, q: Question) -> Answer:
        first_name = q.trip.traveler_name.split()[0] if q.trip.traveler_name else ""
        return Answer(say(key, q.language, name=first_name, group=q.trip.group_name))

    return answer


RESPONDERS: dict[str, Responder] = {
    "greeting": _simple("greeting"),
    "goodbye": _simple("goodbye"),
    "thanks": _simple("thanks"),
    "itinerary_query": itinerary,
    "pickup_time": pickup,
    "meeting_point": meeting_point,
    "guide_contact": _contact("guide"),
    "driver_contact": _contact("driver"),
    "hotel_info": hotel,
    "flight_info": flight,
    "booking_status": booking,
    "booking_change": coordinator_business,
    "cancellation": coordinator_business,
    "payment_question": coordinator_business,
    "voucher_question": vouchers,
    "lost_item": lost_item,
}
