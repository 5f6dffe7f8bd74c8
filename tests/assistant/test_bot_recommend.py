"""'Somewhere for dinner tonight near the hotel?' — the group's recommendations, read out by the assistant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from ai.bot.assistant import Bot
from ai.nlu.intents import IntentClassifier
from ai.recommend.index import CatalogIndexes
from domains.catalog.schemas import CatalogItemCreate
from domains.catalog.service import CatalogService
from domains.kernel.runtime import Hub
from tests.support.trip_world import BotWorld, a_bot_world, principal_of

START = date(2027, 4, 10)
NOW = datetime(2027, 4, 10, 18, 0, tzinfo=UTC)  # 19:00 in Lisbon on day one; the hotel is on Av. da Liberdade
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def restaurant(name: str, city: str, lat: float, lng: float, hours: str) -> CatalogItemCreate:
    return CatalogItemCreate(
        kind="restaurant",
        name=name,
        city=city,
        lat=lat,
        lng=lng,
        description=f"{name}: Portuguese seafood and petiscos",
        tags=["seafood", "portuguese"],
        open_hours={day: [hours] for day in EVERY_DAY},
    )


@pytest.fixture
async def world(hub: Hub) -> BotWorld:
    hub.clock = lambda: NOW  # type: ignore[method-assign]
    return await a_bot_world(hub, START)


@pytest.fixture
async def bot(hub: Hub, intents: IntentClassifier, indexes: CatalogIndexes) -> AsyncIterator[Bot]:
    yield Bot(hub, indexes, classifier=intents)


async def test_dinner_tonight_near_the_hotel(bot: Bot, world: BotWorld, hub: Hub) -> None:
    async with hub.unit_of_work(world.org.id) as uow:
        catalog = CatalogService(uow.session, uow.bus)
        for item in (
            restaurant("Cervejaria Ramiro", "Lisbon", 38.7206, -9.1358, "12:00-23:30"),
            restaurant("Tasca do Chico", "Lisbon", 38.7111, -9.1437, "19:00-01:00"),
            restaurant("Lunch Only Tasca", "Lisbon", 38.7190, -9.1440, "12:00-16:00"),
            restaurant("Far Away Grill", "Lisbon", 38.6916, -9.2160, "12:00-23:00"),  # Belém, 7 km away
            restaurant("Porto Tasca", "Porto", 41.1407, -8.6132, "12:00-23:00"),
        ):
            await catalog.add_item(world.org.id, item)
        await catalog.add_item(
            world.org.id,
            CatalogItemCreate(kind="tour", name="Fado night tour", city="Lisbon", lat=38.7118, lng=-9.1302),
        )
    reply = await bot.answer(principal_of(world.tom), "any good restaurants for dinner tonight near the hotel?")
    assert reply.intent == "recommendation_request" and not reply.handoff
    assert reply.reply.startswith("For tonight near Hotel Avenida Lisboa:")
    assert "Cervejaria Ramiro" in reply.reply or "Tasca do Chico" in reply.reply
    for absent in ("Lunch Only Tasca", "Far Away Grill", "Porto Tasca", "Fado night tour"):
        assert absent not in reply.reply

    spanish = await bot.answer(principal_of(world.tom), "¿algún restaurante para cenar esta noche?")
    assert spanish.language == "es" and spanish.reply.startswith("Para esta noche cerca de Hotel Avenida Lisboa:")


async def test_without_a_catalog_the_traveler_is_pointed_at_the_guide(bot: Bot, world: BotWorld) -> None:
    reply = await bot.answer(principal_of(world.tom), "can you recommend something to do tonight?")
    assert reply.intent == "recommendation_request" and not reply.handoff
    assert "no suggestions" in reply.reply and "guide" in reply.reply
