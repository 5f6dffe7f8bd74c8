"""The travelers' assistant: a question in, a reply grounded in the asker's own trip out.

``Bot.answer(principal, text)`` reads as its steps:
1. classify the intent (MiniLM on the encoder's worker thread, so the event loop keeps serving);
2. in one unit of work, load the traveler's trip (``TravelerView``: scoped to their own participant row) and
   understand the question: entities in the group's time zone with the organization's places as catalog, the
   language, follow-ups resolved from the conversation memory;
3. decide whether a person answers: an emergency, a complaint, an upset tone, a request for a person, or a
   question it is not confident about;
4. answer from the trip data, in the traveler's language, or hand the conversation to the people of the group
   room (``HandoffService``); diets and assistance needs are recorded on the traveler
   (``TravelerNeedsService``) in the same unit of work, so the reply and the record commit together;
5. remember the turn for follow-ups.
See docs/ai.md "The bot".
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ai.bot.answers import RESPONDERS, Answer, Question
from ai.bot.care import assistance, dietary, handoff
from ai.bot.followup import FOLLOWABLE, resolve
from ai.bot.language import LanguageDetector
from ai.bot.memory import Conversation, ConversationMemory, LocalMemory, RedisMemory
from ai.bot.recommend import Wanted, recommend, wanted
from ai.bot.replies import say
from ai.bot.sentiment import sentiment
from ai.nlu.entities.catalog import Catalog, CatalogEntry
from ai.nlu.entities.extraction import extract
from ai.nlu.intents import IntentClassifier, Prediction
from ai.nlu.product_intents import product_classifier
from ai.recommend.index import CatalogIndexes
from domains.conversations.handoff import HandoffService
from domains.groups.needs import TravelerNeedsService
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from domains.kernel.unit_of_work import UnitOfWork
from domains.models import CatalogItem
from domains.views.trip import TravelerView, Trip

OUT_OF_SCOPE = "out_of_scope"
# Intents that always go to a person, whatever else the message says.
HANDOFF_INTENTS = {"emergency": "emergency", "human_handoff": "asked", "complaint": "complaint"}
PLACES_TTL_SECONDS = 300.0  # the organization's catalog of places, re-read at most this often per process
STAFF_REFUSAL = "the assistant answers travelers; staff talk to travelers in the group rooms"


class BotReply(msgspec.Struct):
    reply: str
    intent: str
    confidence: float
    entities: list[dict[str, Any]]
    handoff: bool
    language: str
    handoff_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return msgspec.to_builtins(self)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Understood:
    """A question as the assistant understood it, in the traveler's trip and time zone."""

    asked: Question  # the text, its (follow-up resolved) intent and slots, the trip and the local time
    prediction: Prediction  # what the intent model said of the text alone
    confident: bool  # the model's intent is in scope and above the hand-off threshold, or a clear follow-up
    places: dict[str, tuple[float, float]]  # the organization's catalog places with coordinates, by id


class Bot:
    """The travelers' assistant of one process: it holds the intent model, the language detector, the
    conversation memory and a short-lived cache of each organization's places. The wiring builds one and
    hands it to both transports."""

    def __init__(
        self,
        hub: Hub,
        indexes: CatalogIndexes,
        classifier: IntentClassifier | None = None,
        memory: ConversationMemory | None = None,
    ) -> None:
        settings = hub.settings
        self.hub = hub
        self.indexes = indexes
        self._classifier = classifier
        self._loading = asyncio.Lock()
        self.memory: ConversationMemory = memory or (
            RedisMemory(hub.redis, settings.redis_prefix, settings.bot_memory_ttl_seconds)
            if hub.redis is not None
            else LocalMemory(settings.bot_memory_max_travelers, settings.bot_memory_ttl_seconds)
        )
        self.languages = LanguageDetector()
        self._places: dict[uuid.UUID, tuple[float, Catalog, dict[str, tuple[float, float]]]] = {}

    async def classifier(self) -> IntentClassifier:
        """The intent model, loaded (or, the first time on a machine, trained) once in a worker thread, so the
        hub keeps serving meanwhile; the wiring's warm-up starts this at startup so the first question finds it
        ready. It encodes with the indexes' encoder: one model in memory per process."""
        if self._classifier is None:
            async with self._loading:
                if self._classifier is None:
                    self._classifier = await asyncio.to_thread(
                        product_classifier, self.hub.settings.data_dir / "ai", self.indexes.encoder
                    )
        return self._classifier

    async def answer(self, principal: Principal, text: object) -> BotReply:
        """Understand the question, answer it from the asker's own trip or hand it to a person, remember it."""
        if principal.role != Role.TRAVELER:
            raise Forbidden(STAFF_REFUSAL)
        question = self._checked(text)
        key = f"{principal.org_id}:{principal.user_id}"
        conversation = await self.memory.load(key)
        prediction = (await (await self.classifier()).apredict([question]))[0]
        async with self.hub.unit_of_work(principal.org_id) as uow:
            view = TravelerView(uow.session)
            now = self.hub.clock()
            trip = await view.trip(principal.user_id, now.astimezone(UTC).date())
            language = self.languages.detect(question, conversation.language).code
            if trip is None:
                return await self._answer_without_trip(key, conversation, prediction, language)
            understood = await self._understand(uow.session, question, prediction, trip, now, language, conversation)
            reason = self._why_a_person_answers(understood, conversation)
            answer, want = await self._answer_from_trip(view, understood, reason)
            await self._record(uow, principal, understood, answer, conversation, now)
        if want is not None:  # after the unit of work: the recommender opens its own (SQLite has one writer)
            answer = await recommend(self.indexes, understood.asked, want)
        await self._remember(key, conversation, understood, answer, now)
        return self._reply(understood, answer)

    # -- the steps of an answer, in order -------------------------------------------------------------
    def _checked(self, text: object) -> str:
        limit = self.hub.settings.bot_max_text_chars
        if not isinstance(text, str) or not text.strip():
            raise Invalid("text must be a non-empty string")
        if len(text) > limit:
            raise Invalid(f"text is longer than {limit} characters; ask one thing at a time")
        return text.strip()

    async def _answer_without_trip(
        self, key: str, conversation: Conversation, prediction: Prediction, language: str
    ) -> BotReply:
        """Without a trip there is no group room to hand over to; an emergency still gets the number to call."""
        conversation.language = language
        await self.memory.save(key, conversation)
        reply = "no_trip_emergency" if prediction.intent == "emergency" else "no_trip"
        return BotReply(say(reply, language), prediction.intent, prediction.confidence, [], False, language)

    async def _understand(
        self,
        session: AsyncSession,
        question: str,
        prediction: Prediction,
        trip: Trip,
        now: datetime,
        language: str,
        conversation: Conversation,
    ) -> Understood:
        """Entities in the group's time zone, with the organization's places as catalog; a follow-up ("and
        tomorrow?") takes the intent and slots of the conversation's last question."""
        zone = _zone(trip.timezone)
        local_now = now.astimezone(zone).replace(tzinfo=None)
        catalog, places = await self._places_of(session, trip.org_id)
        entities = extract(question, local_now, zone, catalog)
        threshold = self.hub.settings.bot_handoff_confidence
        confident = prediction.intent != OUT_OF_SCOPE and prediction.confidence >= threshold
        resolved = resolve(
            question, prediction.intent, confident, entities, conversation.last_intent, conversation.slots
        )
        asked = Question(question, resolved.intent, language, trip, local_now, entities, resolved.slots)
        return Understood(asked, prediction, confident or resolved.follow_up, places)

    @staticmethod
    def _why_a_person_answers(understood: Understood, conversation: Conversation) -> str | None:
        """The hand-off reason, if a person should answer: an emergency, a complaint, a request for a person,
        an upset tone, or a question the model is unsure of (out of scope: one clarifying question first)."""
        intent, text = understood.asked.intent, understood.asked.text
        if intent in HANDOFF_INTENTS:
            return HANDOFF_INTENTS[intent]
        if sentiment(text).negative:
            return "negative_sentiment"
        if intent != OUT_OF_SCOPE and not understood.confident:
            return "low_confidence"
        if intent == OUT_OF_SCOPE and conversation.unclear >= 1:
            return "low_confidence"
        return None

    async def _answer_from_trip(
        self, view: TravelerView, understood: Understood, handoff_reason: str | None
    ) -> tuple[Answer, Wanted | None]:
        """The answer to the intent, read from the traveler's own trip, in their language. A recommendation is
        only worked out here (what, when, near where); the recommender runs once the unit of work is over."""
        asked = understood.asked
        if handoff_reason is not None:
            return await handoff(view, asked, handoff_reason), None
        if asked.intent == "dietary_requirement":
            return await dietary(view, asked), None
        if asked.intent == "special_assistance":
            return await assistance(view, asked), None
        if asked.intent == "recommendation_request":
            return Answer(""), await wanted(view, asked, understood.places)
        if asked.intent in RESPONDERS:
            return await RESPONDERS[asked.intent](view, asked), None
        return Answer(say("unclear", asked.language)), None

    @staticmethod
    async def _record(
        uow: UnitOfWork,
        principal: Principal,
        understood: Understood,
        answer: Answer,
        conversation: Conversation,
        now: datetime,
    ) -> None:
        """Diets and assistance needs go on the traveler; a hand-off goes to the group room with the
        conversation so far. Same unit of work as the answer, so the reply and the record commit together."""
        trip = understood.asked.trip
        if answer.dietary or answer.special_needs:
            await TravelerNeedsService(uow.session, uow.bus).record_needs(
                trip.participant_id, answer.dietary, answer.special_needs, source="assistant"
            )
        if answer.handoff_reason is not None:
            transcript = conversation.turns + _turns(understood.asked.text, answer.text, now)
            await HandoffService(uow.session, uow.bus).hand_off(
                principal, trip.traveler_name, trip.group_id, answer.handoff_reason, transcript,
                understood.asked.language,
            )  # fmt: skip

    async def _remember(
        self, key: str, conversation: Conversation, understood: Understood, answer: Answer, now: datetime
    ) -> None:
        """The turn, the language, and for a question that can be followed up its intent and slots."""
        asked = understood.asked
        conversation.language = asked.language
        if asked.intent in FOLLOWABLE:
            conversation.last_intent = asked.intent
            conversation.slots = {**asked.slots, **answer.used_slots}
        conversation.add_turns(*_turns(asked.text, answer.text, now))
        unclear = asked.intent == OUT_OF_SCOPE and answer.handoff_reason is None
        conversation.unclear = conversation.unclear + 1 if unclear else 0
        await self.memory.save(key, conversation)

    @staticmethod
    def _reply(understood: Understood, answer: Answer) -> BotReply:
        return BotReply(
            reply=answer.text,
            intent=understood.asked.intent,
            confidence=round(float(understood.prediction.confidence), 4),
            entities=[entity.to_dict() for entity in understood.asked.entities],
            handoff=answer.handoff_reason is not None,
            language=understood.asked.language,
            handoff_reason=answer.handoff_reason,
        )

    # -- the organization's places --------------------------------------------------------------------
    async def _places_of(
        self, session: AsyncSession, org_id: uuid.UUID
    ) -> tuple[Catalog, dict[str, tuple[float, float]]]:
        """The organization's catalog places for entity extraction (typos tolerated), cached for a few minutes."""
        cached = self._places.get(org_id)
        if cached is not None and time.monotonic() - cached[0] < PLACES_TTL_SECONDS:
            return cached[1], cached[2]
        rows = (
            await session.execute(
                select(CatalogItem.id, CatalogItem.name, CatalogItem.kind, CatalogItem.lat, CatalogItem.lng).where(
                    CatalogItem.active.is_(True)
                )
            )
        ).all()
        catalog = Catalog(CatalogEntry(str(row.id), row.name, row.kind) for row in rows)
        coordinates = {str(r.id): (r.lat, r.lng) for r in rows if r.lat is not None and r.lng is not None}
        self._places[org_id] = (time.monotonic(), catalog, coordinates)
        return catalog, coordinates


def _turns(question: str, reply: str, now: datetime) -> list[dict[str, str]]:
    at = now.astimezone(UTC).isoformat(timespec="seconds")
    return [{"from": "traveler", "text": question, "at": at}, {"from": "bot", "text": reply, "at": at}]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a group saved with a bad zone still gets answers, in UTC
