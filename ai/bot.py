"""The travelers' assistant: a question in, a reply grounded in the asker's own trip out.

``Bot.answer(principal, text)``:
1. classify the intent (MiniLM on the encoder's worker thread, so the event loop keeps serving);
2. in one unit of work, load the traveler's trip (``TravelerView``: scoped to their own participant row),
   extract entities in the group's time zone with the organization's places as catalog, detect the language,
   resolve follow-ups from the conversation memory, and answer from the trip data;
3. record diets and assistance needs on the traveler (``TravelerNeedsService``), or hand the conversation to
   the people of the group room (``HandoffService``) on an emergency, a complaint, an upset tone, a request for
   a person, or a question it is not confident about — in the same unit of work, so the reply and the record
   commit together.
See docs/ai.md "The bot".
"""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ai.bot_answers import RESPONDERS, Answer, Question
from ai.bot_care import assistance, dietary, handoff
from ai.bot_followup import FOLLOWABLE, resolve
from ai.bot_language import detect_language
from ai.bot_memory import Conversation, ConversationMemory, LocalMemory, RedisMemory
from ai.bot_recommend import Wanted, recommend, wanted
from ai.bot_replies import say
from ai.bot_sentiment import sentiment
from ai.catalog_match import Catalog, CatalogEntry
from ai.entities import extract
from ai.intents import IntentClassifier
from domains.conversations.handoff import HandoffService
from domains.groups.needs import TravelerNeedsService
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from domains.models import CatalogItem
from domains.views.trip import TravelerView

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


class Bot:
    def __init__(
        self, hub: Hub, classifier: IntentClassifier | None = None, memory: ConversationMemory | None = None
    ) -> None:
        settings = hub.settings
        self.hub = hub
        self._classifier = classifier
        self._loading = asyncio.Lock()
        self.memory: ConversationMemory = memory or (
            RedisMemory(hub.redis, settings.redis_prefix, settings.bot_memory_ttl_seconds)
            if hub.redis is not None
            else LocalMemory(settings.bot_memory_max_travelers, settings.bot_memory_ttl_seconds)
        )
        self._places: dict[uuid.UUID, tuple[float, Catalog, dict[str, tuple[float, float]]]] = {}

    async def classifier(self) -> IntentClassifier:
        """The intent model, loaded (or, the first time on a machine, trained) once in a worker thread, so the
        hub keeps serving meanwhile; `hub.app` starts this at startup so the first question finds it ready."""
        if self._classifier is None:
            async with self._loading:
                if self._classifier is None:
                    from ai.product_intents import product_classifier

                    self._classifier = await asyncio.to_thread(product_classifier, self.hub.settings.data_dir / "ai")
        return self._classifier

    async def answer(self, principal: Principal, text: object) -> BotReply:
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
            language = detect_language(question, conversation.language).code
            if trip is None:
                conversation.language = language
                await self.memory.save(key, conversation)
                # Without a trip there is no group room to hand over to; an emergency still gets the number to call.
                key_text = "no_trip_emergency" if prediction.intent == "emergency" else "no_trip"
                return BotReply(say(key_text, language), prediction.intent, prediction.confidence, [], False, language)
            zone = _zone(trip.timezone)
            local_now = now.astimezone(zone).replace(tzinfo=None)
            catalog, coordinates = await self._places_of(uow.session, principal.org_id)
            entities = extract(question, local_now, zone, catalog)
            threshold = self.hub.settings.bot_handoff_confidence
            confident = prediction.intent != OUT_OF_SCOPE and prediction.confidence >= threshold
            resolved = resolve(
                question, prediction.intent, confident, entities, conversation.last_intent, conversation.slots
            )
            asked = Question(question, resolved.intent, language, trip, local_now, entities, resolved.slots)
            unclear = resolved.intent == OUT_OF_SCOPE
            reason = self._handoff_reason(resolved.intent, confident or resolved.follow_up, question, conversation)
            want: Wanted | None = None
            if reason is not None:
                answer = await handoff(view, asked, reason)
            elif resolved.intent == "dietary_requirement":
                answer = await dietary(view, asked)
            elif resolved.intent == "special_assistance":
                answer = await assistance(view, asked)
            elif resolved.intent == "recommendation_request":
                want = await wanted(view, asked, coordinates)
                answer = Answer("")  # filled in below, once this unit of work no longer holds the database
            elif resolved.intent in RESPONDERS:
                answer = await RESPONDERS[resolved.intent](view, asked)
            else:
                answer = Answer(say("unclear", language))
            if answer.dietary or answer.special_needs:
                await TravelerNeedsService(uow.session, uow.bus).record_needs(
                    trip.participant_id, answer.dietary, answer.special_needs, source="assistant"
                )
            at = now.astimezone(UTC).isoformat(timespec="seconds")
            turns = [{"from": "traveler", "text": question, "at": at}, {"from": "bot", "text": answer.text, "at": at}]
            if answer.handoff_reason is not None:
                await HandoffService(uow.session, uow.bus).hand_off(
                    principal, trip.traveler_name, trip.group_id, answer.handoff_reason, conversation.turns + turns,
                    language,
                )  # fmt: skip
        if want is not None:
            answer = await recommend(self.hub, asked, want)
            turns[-1]["text"] = answer.text
        self._remember(conversation, resolved.intent, {**resolved.slots, **answer.used_slots}, language, turns)
        conversation.unclear = conversation.unclear + 1 if unclear and answer.handoff_reason is None else 0
        await self.memory.save(key, conversation)
        return BotReply(
            reply=answer.text,
            intent=resolved.intent,
            confidence=round(float(prediction.confidence), 4),
            entities=[entity.to_dict() for entity in entities],
            handoff=answer.handoff_reason is not None,
            language=language,
            handoff_reason=answer.handoff_reason,
        )

    def _checked(self, text: object) -> str:
        limit = self.hub.settings.bot_max_text_chars
        if not isinstance(text, str) or not text.strip():
            raise Invalid("text must be a non-empty string")
        if len(text) > limit:
            raise Invalid(f"text is longer than {limit} characters; ask one thing at a time")
        return text.strip()

    @staticmethod
    def _handoff_reason(intent: str, confident: bool, text: str, conversation: Conversation) -> str | None:
        if intent in HANDOFF_INTENTS:
            return HANDOFF_INTENTS[intent]
        if sentiment(text).negative:
            return "negative_sentiment"
        # In scope but unsure: a person reads it. Out of scope: one clarifying question first, then a person.
        if intent != OUT_OF_SCOPE and not confident:
            return "low_confidence"
        if intent == OUT_OF_SCOPE and conversation.unclear >= 1:
            return "low_confidence"
        return None

    @staticmethod
    def _remember(
        conversation: Conversation, intent: str, slots: dict[str, Any], language: str, turns: list[dict[str, str]]
    ) -> None:
        conversation.language = language
        if intent in FOLLOWABLE:
            conversation.last_intent = intent
            conversation.slots = slots
        conversation.add_turns(*turns)

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


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a group saved with a bad zone still gets answers, in UTC


_bots: weakref.WeakKeyDictionary[Hub, Bot] = weakref.WeakKeyDictionary()


def bot_for(hub: Hub) -> Bot:
    """The hub's assistant (one per process: it holds the memory and the places cache)."""
    bot = _bots.get(hub)
    if bot is None:
        bot = _bots[hub] = Bot(hub)
    return bot


def install_bot(hub: Hub, bot: Bot) -> None:
    """Use this assistant for the hub (e.g. one built around an already loaded classifier)."""
    _bots[hub] = bot
