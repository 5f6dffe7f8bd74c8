"""The assistant answers from the asking traveler's own trip, and nobody else's.

Real database, real classifier and encoder; the hub's clock is pinned to the evening of day one (19:00 in
Lisbon) of a trip that starts on Saturday 10 April 2027.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from ai.bot.assistant import Bot, BotReply
from ai.bot.memory import LocalMemory
from ai.nlu.intents import IntentClassifier
from ai.recommend.index import CatalogIndexes
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group
from tests.support.backends import Backend
from tests.support.builders import a_person
from tests.support.trip_world import (
    ANA_PHONE,
    AVENIDA_ADDRESS,
    BRUNO_PHONE,
    CARLA_PHONE,
    DIEGO_PHONE,
    RIVERSIDE_ADDRESS,
    BotWorld,
    a_bot_world,
    principal_of,
)

START = date(2027, 4, 10)
NOW = datetime(2027, 4, 10, 18, 0, tzinfo=UTC)  # 19:00 in Lisbon (summer time)


@pytest.fixture(scope="module")
async def hub(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hub]:
    """One hub and one world for the module: these questions only read (each test gets a fresh memory)."""
    instance = Hub(backend.settings(tmp_path_factory.mktemp("bot-grounding")))
    instance.clock = lambda: NOW  # type: ignore[method-assign]
    try:
        yield instance
    finally:
        await instance.close()


@pytest.fixture(scope="module")
async def world(hub: Hub) -> BotWorld:
    return await a_bot_world(hub, START)


@pytest.fixture
async def bot(hub: Hub, intents: IntentClassifier, indexes: CatalogIndexes) -> AsyncIterator[Bot]:
    yield Bot(hub, indexes, classifier=intents, memory=LocalMemory(max_conversations=100, ttl_seconds=600))


async def ask(bot: Bot, world: BotWorld, text: str) -> BotReply:
    return await bot.answer(principal_of(world.tom), text)


async def test_tom_learns_who_his_guide_and_driver_are(bot: Bot, world: BotWorld) -> None:
    guide = await ask(bot, world, "who is our guide?")
    assert guide.intent == "guide_contact" and not guide.handoff
    assert "Ana Guide" in guide.reply and ANA_PHONE in guide.reply
    driver = await ask(bot, world, "what's the driver's phone number?")
    assert driver.intent == "driver_contact"
    assert "Diego Driver" in driver.reply and DIEGO_PHONE in driver.reply
    assert "Ana" not in driver.reply


async def test_pickup_tomorrow_is_the_first_item_of_the_day_with_its_time_and_place(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "when and where is pickup tomorrow?")
    assert reply.intent in ("pickup_time", "meeting_point")
    assert "09:30" in reply.reply and "Mosteiro dos Jerónimos" in reply.reply and "11 April" in reply.reply
    assert {"type": "date", "value": "2027-04-11"}.items() <= reply.entities[0].items()


async def test_hotel_address_check_in_and_room(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "what's the address of my hotel and when is check-in?")
    assert reply.intent == "hotel_info"
    assert "Hotel Avenida Lisboa" in reply.reply and AVENIDA_ADDRESS in reply.reply
    assert "14:00" in reply.reply and "10 April" in reply.reply and "101" in reply.reply


async def test_flight_time_terminal_and_seat(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "what time is my flight and from which terminal?")
    assert reply.intent == "flight_info"
    assert "TP1351" in reply.reply and "09:40" in reply.reply and "terminal 2" in reply.reply and "12A" in reply.reply


async def test_booking_status(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "is my booking confirmed?")
    assert reply.intent == "booking_status"
    assert world.lisbon.booking.reference in reply.reply and "confirmed" in reply.reply


async def test_tess_has_no_flight_with_us_and_is_not_told_about_toms(bot: Bot, world: BotWorld) -> None:
    reply = await bot.answer(principal_of(world.tess), "what time is my flight?")
    assert reply.intent == "flight_info"
    assert "TP1351" not in reply.reply and "12A" not in reply.reply
    assert "don't see a flight" in reply.reply


async def test_naming_another_groups_references_never_reveals_their_data(bot: Bot, world: BotWorld, hub: Hub) -> None:
    async with hub.unit_of_work(world.org.id) as uow:
        porto = await uow.session.get(Group, world.porto.group.id)
        assert porto is not None
        porto_number = porto.number
    porto_ref = world.porto.booking.reference
    own_ref = world.lisbon.booking.reference
    questions = [
        f"who is the guide of group {porto_number}?",
        f"what is the status of booking {porto_ref}?",
        "what time is flight AF1024 and which terminal?",
        "what's the address of the Porto Riverside Hotel?",
        f"give me the phone of the driver of {porto_number}",
    ]
    forbidden = [porto_ref, BRUNO_PHONE, "Bruno", "AF1024 from", "CDG", "Porto Riverside", RIVERSIDE_ADDRESS, "Pia"]
    for question in questions:
        reply = await ask(bot, world, question)
        for secret in forbidden:
            assert secret not in reply.reply, (question, reply.reply)
    booking = await ask(bot, world, f"what is the status of booking {porto_ref}?")
    assert "only share details of your own trip" in booking.reply and own_ref in booking.reply


async def test_another_travelers_booking_in_the_same_group_stays_private(bot: Bot, world: BotWorld, hub: Hub) -> None:
    tess = await bot.answer(principal_of(world.tess), "what's my booking status?")
    tess_ref = tess.reply.split("booking ")[1].split(" ")[0]
    assert tess_ref != world.lisbon.booking.reference
    reply = await ask(bot, world, f"what is the status of booking {tess_ref}?")
    assert tess_ref not in reply.reply and world.lisbon.booking.reference in reply.reply


async def test_a_traveler_without_a_trip_is_told_politely(bot: Bot, world: BotWorld, hub: Hub) -> None:
    nomad = await a_person(hub, world.org, Role.TRAVELER, "Nora")
    reply = await bot.answer(principal_of(nomad), "who is my guide?")
    assert "can't find your trip" in reply.reply and not reply.handoff
    assert "Ana" not in reply.reply and "Bruno" not in reply.reply
    emergency = await bot.answer(principal_of(nomad), "help, my husband collapsed and is not breathing")
    assert emergency.reply.startswith("If anyone is in danger, call 112 now") and not emergency.handoff


async def test_staff_and_bad_text_are_refused(bot: Bot, world: BotWorld) -> None:
    with pytest.raises(Forbidden):
        await bot.answer(principal_of(world.coordinator), "who is the guide?")
    with pytest.raises(Invalid, match="non-empty"):
        await ask(bot, world, "   ")
    with pytest.raises(Invalid, match="longer than"):
        await ask(bot, world, "a" * 1001)


async def test_spanish_questions_get_spanish_answers(bot: Bot, world: BotWorld) -> None:
    guide = await ask(bot, world, "¿quién es nuestro guía?")
    assert guide.language == "es" and guide.reply.startswith("Tu guía es Ana Guide") and ANA_PHONE in guide.reply
    hotel = await ask(bot, world, "¿cuál es la dirección del hotel?")
    assert hotel.language == "es" and "Tu hotel es Hotel Avenida Lisboa" in hotel.reply
    pickup = await ask(bot, world, "¿a qué hora nos recogen mañana?")
    assert pickup.language == "es" and "09:30" in pickup.reply and "domingo 11 de abril" in pickup.reply
    thanks = await ask(bot, world, "gracias")
    assert thanks.language == "es" and thanks.reply == "¡De nada!"


async def test_coordinator_contact_comes_from_the_assignment(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "I want to change my booking to add a night")
    assert reply.intent == "booking_change" and not reply.handoff
    assert "Carla Coordinator" in reply.reply and CARLA_PHONE in reply.reply


async def test_the_coordinator_named_in_a_contact_question_wins(bot: Bot, world: BotWorld) -> None:
    reply = await ask(bot, world, "what's the phone number of the coordinator?")
    assert "Carla Coordinator" in reply.reply and CARLA_PHONE in reply.reply and ANA_PHONE not in reply.reply
