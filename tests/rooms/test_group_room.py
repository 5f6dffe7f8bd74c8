"""A guide and a coordinator meet in their group's room: presence, chat, history, replay, no duplicates."""

from __future__ import annotations

import uuid

import pytest

from domains.kernel.runtime import Hub
from tests.support.builders import TourGroup, a_tour_group
from tests.support.live import PATIENCE_SECONDS, Connect
from tests.support.server import RunningHub


async def test_a_guide_and_a_coordinator_see_each_other_and_chat(hub: Hub, clients: Connect) -> None:
    lisbon: TourGroup = await a_tour_group(hub)
    carla = await clients(lisbon.coordinator)
    ana = await clients(lisbon.guide)

    joined = await carla.join(lisbon.room)
    assert joined["ok"] and joined["room"] == lisbon.room and joined["missed"] == []
    assert [m["name"] for m in joined["members"]] == ["Carla"]

    ana_joined = await ana.join(lisbon.room)
    assert {m["name"] for m in ana_joined["members"]} == {"Carla", "Ana"}
    online = await carla.wait_for("presence:update", lambda d: d["user"]["name"] == "Ana")
    assert online["status"] == "online" and online["room"] == lisbon.room

    sent = await carla.call("chat:send", {"room": lisbon.room, "client_id": "c-1", "text": "Bus at 8:30, Ana"})
    assert sent["ok"] and sent["message"]["seq"] == 1
    heard = await ana.wait_for("chat:message")
    assert heard["message"]["text"] == "Bus at 8:30, Ana"
    assert heard["message"]["author"]["name"] == "Carla" and heard["seq"] == 1

    await ana.call("presence:typing", {"room": lisbon.room})
    typing = await carla.wait_for("presence:typing")
    assert typing["user"]["name"] == "Ana"

    await ana.close()
    offline = await carla.wait_for("presence:update", lambda d: d["user"]["name"] == "Ana" and d["status"] == "offline")
    assert offline["room"] == lisbon.room


async def test_long_polling_clients_take_part_too(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla = await clients(lisbon.coordinator)
    tom = await clients(lisbon.traveler, "polling")
    await carla.join(lisbon.room)
    assert (await tom.join(lisbon.room))["ok"]
    await carla.call("chat:send", {"room": lisbon.room, "client_id": "poll", "text": "Welcome, Tom"})
    assert (await tom.wait_for("chat:message"))["message"]["text"] == "Welcome, Tom"


async def test_a_user_with_several_tabs_is_online_once(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla = await clients(lisbon.coordinator)
    await carla.join(lisbon.room)
    first_tab, second_tab = await clients(lisbon.guide), await clients(lisbon.guide)

    await first_tab.join(lisbon.room)
    joined = await second_tab.join(lisbon.room)
    assert [m["name"] for m in joined["members"]].count("Ana") == 1
    await first_tab.close()
    await carla.call("chat:send", {"room": lisbon.room, "client_id": "sync", "text": "still there?"})
    await second_tab.wait_for("chat:message")

    ana_updates = [d["status"] for d in carla.received["presence:update"] if d["user"]["name"] == "Ana"]
    assert ana_updates == ["online"]  # closing one of two tabs changes nothing
    await second_tab.close()
    await carla.wait_for("presence:update", lambda d: d["user"]["name"] == "Ana" and d["status"] == "offline")


async def test_a_traveler_cannot_join_another_groups_room(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub, "Lisbon Spring")
    porto = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)
    tom = await clients(lisbon.traveler)
    carla = await clients(porto.coordinator)

    assert (await tom.join(lisbon.room))["ok"] is True
    assert (await tom.join(f"booking:{lisbon.booking.id}"))["ok"] is True
    refused = await tom.join(porto.room)
    assert refused == {"ok": False, "error": "forbidden", "message": "forbidden"}
    assert (await tom.join("board:dispatch"))["error"] == "forbidden"
    assert (await tom.join(f"user:{uuid.uuid4()}"))["error"] == "forbidden"
    assert (await tom.join(f"group:{uuid.uuid4()}"))["error"] == "forbidden"

    await carla.join(porto.room)
    await carla.call("chat:send", {"room": porto.room, "client_id": "p-1", "text": "Porto only"})
    sent = await tom.call("chat:send", {"room": porto.room, "client_id": "x", "text": "let me in"})
    assert sent["ok"] is False and sent["error"] == "forbidden"
    await tom.call("chat:send", {"room": lisbon.room, "client_id": "l-1", "text": "hello Lisbon"})
    await tom.wait_for("chat:message", lambda d: d["room"] == lisbon.room)
    assert all(d["room"] == lisbon.room for d in tom.received["chat:message"])


async def test_nobody_joins_across_organizations(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    elsewhere = await a_tour_group(hub, "Madrid Weekend")
    carla_from_elsewhere = await clients(elsewhere.coordinator)
    assert (await carla_from_elsewhere.join(lisbon.room))["error"] == "forbidden"
    assert (await carla_from_elsewhere.join(f"booking:{lisbon.booking.id}"))["error"] == "forbidden"


async def test_a_client_that_reconnects_gets_exactly_what_it_missed(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(lisbon.room)
    await ana.join(lisbon.room)
    first = await carla.call("chat:send", {"room": lisbon.room, "client_id": "before", "text": "see you at 9"})
    last_seen = (await ana.wait_for("chat:message"))["seq"]
    assert last_seen == first["message"]["seq"]
    await ana.close()

    for n in range(50):
        sent = await carla.call("chat:send", {"room": lisbon.room, "client_id": f"m-{n}", "text": f"update {n}"})
        assert sent["ok"], sent

    ana_again = await clients(lisbon.guide)
    rejoined = await ana_again.join(lisbon.room, since=last_seen)
    missed = rejoined["missed"]
    assert [event["message"]["text"] for event in missed] == [f"update {n}" for n in range(50)]
    assert [event["seq"] for event in missed] == list(range(last_seen + 1, last_seen + 51))
    assert {(event["event"], event["room"]) for event in missed} == {("chat:message", lisbon.room)}
    assert rejoined["seq"] == last_seen + 50 and rejoined["resync"] is False


async def test_a_client_too_far_behind_is_told_to_resync_and_pages_history(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla = await clients(lisbon.coordinator)
    await carla.join(lisbon.room)
    for n in range(205):
        await carla.call("chat:send", {"room": lisbon.room, "client_id": f"m-{n}", "text": f"note {n}"})

    ana = await clients(lisbon.guide)
    rejoined = await ana.join(lisbon.room, since=0)
    assert rejoined["resync"] is True and rejoined["missed"] == [] and rejoined["seq"] == 205

    pages, before = [], None
    while True:
        page = await ana.call(
            "chat:history", {"room": lisbon.room, "limit": 100} | ({"before_seq": before} if before else {})
        )
        pages.append(page["messages"])
        if not page["has_more"]:
            break
        before = page["messages"][0]["seq"]
    everything = [m["text"] for page in reversed(pages) for m in page]
    assert everything == [f"note {n}" for n in range(205)]


async def test_a_resent_message_is_stored_once(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(lisbon.room)
    await ana.join(lisbon.room)

    first = await carla.call("chat:send", {"room": lisbon.room, "client_id": "retry-1", "text": "Lunch at 13:00"})
    again = await carla.call("chat:send", {"room": lisbon.room, "client_id": "retry-1", "text": "Lunch at 13:00"})
    await carla.call("chat:send", {"room": lisbon.room, "client_id": "retry-2", "text": "marker"})
    await ana.wait_for("chat:message", lambda d: d["message"]["text"] == "marker")

    assert again["message"] == first["message"]
    history = (await ana.call("chat:history", {"room": lisbon.room}))["messages"]
    assert [m["text"] for m in history] == ["Lunch at 13:00", "marker"]
    assert [d["message"]["text"] for d in ana.received["chat:message"]] == ["Lunch at 13:00", "marker"]


async def test_authors_edit_and_delete_their_own_messages(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(lisbon.room)
    await ana.join(lisbon.room)
    message = (await carla.call("chat:send", {"room": lisbon.room, "client_id": "e", "text": "Dinner at 7"}))["message"]

    edited = await carla.call("chat:edit", {"room": lisbon.room, "message_id": message["id"], "text": "Dinner at 8"})
    assert edited["ok"] and edited["message"]["edited_at"]
    update = await ana.wait_for("chat:updated")
    assert update["message"]["text"] == "Dinner at 8" and update["seq"] == message["seq"] + 1

    not_hers = await ana.call("chat:delete", {"room": lisbon.room, "message_id": message["id"]})
    assert not_hers["ok"] is False and not_hers["error"] == "forbidden"
    assert (await carla.call("chat:delete", {"room": lisbon.room, "message_id": message["id"]}))["message"]["deleted"]
    await ana.wait_for("chat:updated", lambda d: d["message"]["deleted"])

    replay = await ana.join(lisbon.room, since=0)
    assert [e["event"] for e in replay["missed"]] == ["chat:message", "chat:updated", "chat:updated"]
    read = await ana.call("chat:read", {"room": lisbon.room, "seq": 999})
    assert read == {"ok": True, "room": lisbon.room, "seq": 3}


async def test_connections_without_a_valid_token_are_refused_with_a_reason(server: RunningHub) -> None:
    import socketio

    for auth in (None, {"token": "forged.token.value"}, {"nothing": 1}):
        client = socketio.AsyncClient(reconnection=False)
        reasons: list[object] = []
        client.on("connect_error", reasons.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=PATIENCE_SECONDS)
        assert len(reasons) == 1 and reasons[0]["message"].startswith("unauthenticated:"), reasons  # type: ignore[index]
        assert not client.connected
