"""The assistant over a real server: Socket.IO `bot:ask`, the coordinator hearing a hand-off in the group room
and answering there, and `POST /api/v1/bot/messages` with its errors. The trip starts today (Lisbon time)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import CACHE_FILE
from domains.kernel.runtime import Hub
from tests.support.builders import bearer, sign_in
from tests.support.live import Connect
from tests.support.server import RunningHub
from tests.support.trip_world import ANA_PHONE, BotWorld, a_bot_world


@pytest.fixture
async def world(hub: Hub, server: RunningHub, intents: IntentClassifier) -> BotWorld:
    # The server's assistant finds the session's classifier in its cache, as a restarted hub would: no second training.
    intents.save(server.settings.data_dir / "ai" / CACHE_FILE)
    return await a_bot_world(hub, datetime.now(ZoneInfo("Europe/Lisbon")).date())


async def test_bot_ask_acks_the_reply_and_every_tab_of_the_traveler_hears_it(world: BotWorld, clients: Connect) -> None:
    phone = await clients(world.tom)
    laptop = await clients(world.tom)
    tess = await clients(world.tess)
    ack = await phone.call("bot:ask", {"text": "who is our guide?"})
    assert ack["ok"] and ack["intent"] == "guide_contact" and ANA_PHONE in ack["reply"]
    assert 0 < ack["confidence"] <= 1 and ack["entities"] == [] and ack["handoff"] is False
    for client in (phone, laptop):
        event = await client.wait_for("bot:reply")
        assert event["reply"] == ack["reply"] and event["question"] == "who is our guide?"
    assert tess.received["bot:reply"] == []


async def test_bot_ask_errors_come_back_as_acks(world: BotWorld, clients: Connect) -> None:
    tom = await clients(world.tom)
    empty = await tom.call("bot:ask", {"text": ""})
    assert empty == {"ok": False, "error": "invalid", "message": "text must be a non-empty string"}
    carla = await clients(world.coordinator)
    staff = await carla.call("bot:ask", {"text": "who is the guide?"})
    assert not staff["ok"] and staff["error"] == "forbidden" and "travelers" in staff["message"]


async def test_the_coordinator_gets_the_hand_off_in_the_group_room_and_answers_there(
    world: BotWorld, clients: Connect
) -> None:
    room = world.lisbon.room
    carla, tom, tess = await clients(world.coordinator), await clients(world.tom), await clients(world.tess)
    for client in (carla, tom, tess):
        assert (await client.join(room))["ok"]

    await tom.call("bot:ask", {"text": "what time is pickup tomorrow?"})
    ack = await tom.call("bot:ask", {"text": "I want to talk to a person"})
    assert ack["ok"] and ack["handoff"] is True and "Carla" in ack["reply"]

    heard = await carla.wait_for("bot:handoff")
    handoff = heard["handoff"]
    assert heard["room"] == room and handoff["reason"] == "asked" and handoff["traveler"]["name"] == "Tom Traveler"
    said = [turn["text"] for turn in handoff["transcript"] if turn["from"] == "traveler"]
    assert said == ["what time is pickup tomorrow?", "I want to talk to a person"]
    # Other travelers in the room learn the seq, never the conversation.
    other = await tess.wait_for("bot:handoff")
    assert other["seq"] == heard["seq"] and other["handoff"] == {"id": handoff["id"], "redacted": True}

    # A stated need reaches the staff in the room too, and again not the other travelers.
    assert (await tom.call("bot:ask", {"text": "my mother uses a wheelchair"}))["handoff"] is False
    need = await carla.wait_for("participant:needs_recorded")
    assert need["participant_name"] == "Tom Traveler" and "wheelchair" in need["added_special_needs"]

    answer = {"room": room, "client_id": "carla-1", "text": "Hi Tom, Carla here: pickup is at 09:30."}
    assert (await carla.call("chat:send", answer))["ok"]
    reply = await tom.wait_for("chat:message", lambda m: m["message"]["author"]["name"] == "Carla")
    assert reply["message"]["text"] == answer["text"]
    await tess.wait_for("chat:message", lambda m: m["message"]["client_id"] == "carla-1")  # the room is shared...
    assert tess.received["participant:needs_recorded"] == []  # ...Tom's needs are not

    # The hand-off is in the room's log: a coordinator who joins later replays it, a traveler sees it redacted.
    late = await clients(world.coordinator)
    missed = (await late.join(room, since=0))["missed"]
    assert [e["handoff"]["reason"] for e in missed if e["event"] == "bot:handoff"] == ["asked"]
    again = await clients(world.tess)
    replayed = [e for e in (await again.join(room, since=0))["missed"] if e["event"] == "bot:handoff"]
    assert replayed == [{"event": "bot:handoff", **other}]  # exactly the live event, with its name


async def test_http_messages_answer_travelers_only(world: BotWorld, http: httpx.AsyncClient) -> None:
    tom = bearer(await sign_in(http, world.tom))
    answered = await http.post("/api/v1/bot/messages", json={"text": "¿quién es nuestro guía?"}, headers=tom)
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["intent"] == "guide_contact" and body["language"] == "es" and ANA_PHONE in body["reply"]
    assert set(body) >= {"reply", "intent", "confidence", "entities", "handoff", "language"}

    empty = await http.post("/api/v1/bot/messages", json={"text": "  "}, headers=tom)
    assert empty.status_code == 422 and "non-empty" in empty.json()["detail"]
    huge = await http.post("/api/v1/bot/messages", json={"text": "where? " * 200}, headers=tom)
    assert huge.status_code == 422 and "longer than 1000" in huge.json()["detail"]

    carla = bearer(await sign_in(http, world.coordinator))
    staff = await http.post("/api/v1/bot/messages", json={"text": "who is the guide?"}, headers=carla)
    assert staff.status_code == 403 and "travelers" in staff.json()["detail"]
    anonymous = await http.post("/api/v1/bot/messages", json={"text": "hello"})
    assert anonymous.status_code == 401
