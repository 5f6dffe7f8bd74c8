"""Carla and Ana edit Lisbon Spring's plan over real sockets: concurrent edits merge, an offline client catches up."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from msgspec import to_builtins

from domains.itineraries.ops import Items, apply_op, visible
from domains.kernel.runtime import Hub
from tests.support.builders import a_tour_group, bearer, sign_in
from tests.support.itinerary_steps import add, new_id
from tests.support.live import Connect, LiveClient


def state_of(events: list[dict[str, Any]]) -> Items:
    """What a client knows: the itinerary events it heard, once each, in seq order."""
    items: Items = {}
    for event in sorted({e["seq"]: e for e in events}.values(), key=lambda e: e["seq"]):
        apply_op(items, event["op"])
    return items


async def op(client: LiveClient, group_id: str, operation: dict[str, Any], base_seq: int, **extra: Any) -> Any:
    payload = {"group_id": group_id, "client_op_id": new_id(), "base_seq": base_seq, "op": operation} | extra
    return await client.call("itinerary:op", payload)


async def test_two_editors_change_different_fields_of_one_item_at_once_and_both_edits_survive(
    hub: Hub, clients: Connect, http: httpx.AsyncClient
) -> None:
    lisbon = await a_tour_group(hub)
    gid = str(lisbon.group.id)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(lisbon.room)
    await ana.join(lisbon.room)

    tower = add("2027-04-11", "Belém Tower", start="10:00", end="11:30", kind="visit")
    added = await op(carla, gid, tower, 0)
    assert added["ok"] and added["seq"] == 1 and added["dropped"] is False
    heard = await ana.wait_for("itinerary:applied")
    assert heard["room"] == lisbon.room and heard["op"]["type"] == "add_item"
    assert heard["author"]["name"] == "Carla" and heard["client_op_id"]

    item_id = tower["item_id"]
    by_carla, by_ana = await asyncio.gather(
        op(carla, gid, {"type": "set_fields", "item_id": item_id, "fields": {"title": "Torre de Belém"}}, 1),
        op(ana, gid, {"type": "set_fields", "item_id": item_id, "fields": {"notes": "Tickets at 9:45"}}, 1),
    )
    assert by_carla["ok"] and by_ana["ok"] and {by_carla["seq"], by_ana["seq"]} == {2, 3}
    for client in (carla, ana):
        await client.wait_for("itinerary:applied", lambda e: e["seq"] == 3)
        item = state_of(client.received["itinerary:applied"])[item_id]
        assert (item.title, item.notes, item.start) == ("Torre de Belém", "Tickets at 9:45", "10:00")

    snapshot = (
        await http.get(f"/api/v1/groups/{gid}/itinerary", headers=bearer(await sign_in(http, lisbon.guide)))
    ).json()
    assert snapshot["seq"] == 3
    assert snapshot["items"] == to_builtins(visible(state_of(carla.received["itinerary:applied"]).values()))


async def test_an_editor_who_was_offline_rejoins_with_since_and_converges(
    hub: Hub, clients: Connect, http: httpx.AsyncClient
) -> None:
    lisbon = await a_tour_group(hub)
    gid = str(lisbon.group.id)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(lisbon.room)
    await ana.join(lisbon.room)
    tower, lunch = add("2027-04-11", "Belém Tower"), add("2027-04-11", "Lunch")
    await op(carla, gid, tower, 0)
    await op(carla, gid, lunch | {"after": tower["item_id"]}, 1)
    await ana.wait_for("itinerary:applied", lambda e: e["seq"] == 2)
    seen_by_ana = list(ana.received["itinerary:applied"])
    await ana.close()

    # While Ana is away: edits, a move, a removal and a chat message share the room's seq.
    await op(carla, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"start": "09:00"}}, 2)
    await carla.call("chat:send", {"room": lisbon.room, "client_id": "c-1", "text": "Moved lunch to Sunday"})
    await op(carla, gid, {"type": "move_item", "item_id": lunch["item_id"], "day": "2027-04-12", "after": None}, 4)
    fado = add("2027-04-12", "Fado night", start="21:00")
    await op(carla, gid, fado, 5)
    await op(carla, gid, {"type": "remove_item", "item_id": tower["item_id"]}, 6)
    # Ana's phone resends an edit she made before going offline: it lands on a removed item.
    late = await op(carla, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"notes": "x"}}, 2)
    assert late["ok"] and late["dropped"] is True and late["seq"] == 8

    ana_again = await clients(lisbon.guide)
    rejoined = await ana_again.join(lisbon.room, since=2)
    assert rejoined["resync"] is False and rejoined["seq"] == 8
    assert [e["event"] for e in rejoined["missed"]] == ["itinerary:applied", "chat:message", *["itinerary:applied"] * 4]
    missed = [e for e in rejoined["missed"] if e["event"] == "itinerary:applied"]
    assert {e["room"] for e in missed} == {lisbon.room}
    assert [e["seq"] for e in missed] == [3, 5, 6, 7, 8]
    ana_state = state_of(seen_by_ana + missed)
    tokens = await sign_in(http, lisbon.guide)
    snapshot = (await http.get(f"/api/v1/groups/{gid}/itinerary", headers=bearer(tokens))).json()
    assert to_builtins(visible(ana_state.values())) == snapshot["items"]
    assert [(i["day"], i["title"]) for i in snapshot["items"]] == [
        ("2027-04-12", "Fado night"),  # added with after: null, so first
        ("2027-04-12", "Lunch"),
    ]


async def test_refused_ops_say_why_and_give_the_current_seq(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    gid = str(lisbon.group.id)
    carla, tom = await clients(lisbon.coordinator), await clients(lisbon.traveler)
    not_joined = await op(carla, gid, add("2027-04-11", "Tower"), 0)
    assert not_joined["ok"] is False and not_joined["error"] == "forbidden"
    await carla.join(lisbon.room)
    await tom.join(lisbon.room)

    first = await op(carla, gid, add("2027-04-11", "Tower"), 0, client_op_id="carla-1")
    resent = await op(carla, gid, add("2027-04-11", "Tower again"), 0, client_op_id="carla-1")
    assert resent == {"ok": True, "seq": first["seq"], "dropped": False, "duplicate": True, "warnings": []}

    outside = await op(carla, gid, add("2027-05-01", "After the trip"), 1)
    assert (outside["ok"], outside["error"], outside["current"]) == (False, "invalid", 1)
    assert "outside the travel dates" in outside["message"]
    backwards = await op(carla, gid, add("2027-04-11", "Backwards", start="10:00", end="09:00"), 1)
    assert backwards["error"] == "invalid" and backwards["current"] == 1
    malformed = await op(carla, gid, {"type": "add_item", "item_id": "nope"}, 1)
    assert malformed["error"] == "invalid" and "item_id" in malformed["message"]
    by_tom = await op(tom, gid, add("2027-04-11", "Tom's plan"), 1)
    assert (by_tom["ok"], by_tom["error"], by_tom["current"]) == (False, "forbidden", 1)
    bad_group = await carla.call("itinerary:op", {"group_id": "x", "client_op_id": "1", "base_seq": 0, "op": {}})
    assert bad_group["error"] == "invalid"
    assert len(carla.received["itinerary:applied"]) == 1  # nothing refused was broadcast
