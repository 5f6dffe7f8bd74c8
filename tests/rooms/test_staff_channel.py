"""Carla (coordinator) and Ana (the guide) talk about Tom's lost passport in Lisbon Spring's staff channel.

Tom is in the group's room at the same time and never hears a word of it; he cannot join the channel, page
its history or open its files. The channel is a conversation of its own: its own seq from 1, replay on
rejoin, history, files, edits, deletions and read positions, like the group's room.
"""

from __future__ import annotations

import uuid

import httpx

from domains.kernel.rooms import staff_room
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, a_tour_group, bearer, sign_in
from tests.support.live import Connect


async def test_staff_talk_in_their_channel_and_travelers_hear_nothing(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    channel = staff_room(lisbon.group.id)
    carla, ana, tom = await clients(lisbon.coordinator), await clients(lisbon.guide), await clients(lisbon.traveler)
    for person in (carla, ana, tom):
        assert (await person.join(lisbon.room))["ok"]

    joined = await carla.join(channel)
    assert joined["ok"] and joined["room"] == channel and joined["seq"] == 0
    assert (await ana.join(channel))["ok"]
    refused = await tom.join(channel)
    assert refused == {"ok": False, "error": "forbidden", "message": "forbidden"}

    sent = await carla.call(
        "chat:send", {"room": channel, "client_id": "s-1", "text": "Tom lost his passport; consulate at 10"}
    )
    assert sent["ok"] and sent["message"]["seq"] == 1 and sent["message"]["room"] == channel
    heard = await ana.wait_for("chat:message", lambda d: d["room"] == channel)
    assert heard["message"]["text"] == "Tom lost his passport; consulate at 10"

    # The group room keeps its own seq; what everyone hears there, Tom hears.
    public = await carla.call("chat:send", {"room": lisbon.room, "client_id": "g-1", "text": "Lunch at 1"})
    assert public["message"]["seq"] == 1
    await tom.wait_for("chat:message", lambda d: d["message"]["text"] == "Lunch at 1")
    assert all(d["room"] == lisbon.room for d in tom.received["chat:message"])

    # Tom can neither write, page, edit nor mark read in the channel.
    for event, payload in [
        ("chat:send", {"room": channel, "client_id": "t-1", "text": "what passport?"}),
        ("chat:history", {"room": channel}),
        ("chat:read", {"room": channel, "seq": 1}),
        ("chat:edit", {"room": channel, "message_id": sent["message"]["id"], "text": "x"}),
    ]:
        assert (await tom.call(event, payload))["error"] == "forbidden", event
    assert all(d["room"] != channel for events in tom.received.values() for d in events if isinstance(d, dict))


async def test_the_channel_replays_pages_and_edits_like_the_group_room(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    channel = staff_room(lisbon.group.id)
    carla, ana = await clients(lisbon.coordinator), await clients(lisbon.guide)
    await carla.join(channel)
    first = await ana.join(channel)
    await ana.close()

    for n in range(1, 4):
        await carla.call("chat:send", {"room": channel, "client_id": f"m-{n}", "text": f"note {n}"})
    edited = await carla.call(
        "chat:edit",
        {
            "room": channel,
            "message_id": (await carla.call("chat:history", {"room": channel, "limit": 1}))["messages"][0]["id"],
            "text": "note 3, corrected",
        },
    )
    assert edited["ok"] and edited["message"]["edited_at"]

    ana = await clients(lisbon.guide)
    back = await ana.join(channel, since=first["seq"])
    assert back["seq"] == 4
    assert [e["event"] for e in back["missed"]] == ["chat:message"] * 3 + ["chat:updated"]
    assert back["missed"][-1]["message"]["text"] == "note 3, corrected"

    page = await ana.call("chat:history", {"room": channel, "limit": 2})
    assert [m["text"] for m in page["messages"]] == ["note 2", "note 3, corrected"] and page["has_more"]
    older = await ana.call("chat:history", {"room": channel, "before_seq": page["messages"][0]["seq"], "limit": 2})
    assert [m["text"] for m in older["messages"]] == ["note 1"]
    assert (await ana.call("chat:read", {"room": channel, "seq": 3}))["seq"] == 3

    gone = await carla.call("chat:delete", {"room": channel, "message_id": page["messages"][0]["id"]})
    assert gone["message"]["deleted"] is True
    await ana.wait_for("chat:updated", lambda d: d["message"]["deleted"])


async def test_files_in_the_channel_are_for_its_staff(hub: Hub, clients: Connect, http: httpx.AsyncClient) -> None:
    lisbon = await a_tour_group(hub)
    channel = staff_room(lisbon.group.id)
    ana = await clients(lisbon.guide)
    await ana.join(channel)
    carla_tokens = bearer(await sign_in(http, lisbon.coordinator))
    shared = await http.post(
        f"/api/v1/rooms/{channel}/files", files={"file": ("passport-copy.pdf", b"%PDF-1.4 tom")}, headers=carla_tokens
    )
    assert shared.status_code == 201, shared.text
    file_id = shared.json()["file"]["id"]
    heard = await ana.wait_for("file:shared", lambda d: d["room"] == channel)
    assert heard["file"]["name"] == "passport-copy.pdf"

    tom_tokens = bearer(await sign_in(http, lisbon.traveler))
    assert (await http.get(f"/api/v1/files/{file_id}", headers=tom_tokens)).status_code == 403
    refused = await http.post(f"/api/v1/rooms/{channel}/files", files={"file": ("a.txt", b"hi")}, headers=tom_tokens)
    assert refused.status_code == 403
    ana_tokens = bearer(await sign_in(http, lisbon.guide))
    assert (await http.get(f"/api/v1/files/{file_id}", headers=ana_tokens)).status_code == 200


async def test_only_staff_who_see_the_group_join_its_channel(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    channel = staff_room(lisbon.group.id)
    other_guide = await a_person(hub, lisbon.org, Role.GUIDE, "Bruno")  # works for Lisbon Tours, not this group
    partner = await a_person(hub, lisbon.org, Role.PARTNER, "Paula")
    dana = await a_person(hub, lisbon.org, Role.DISPATCHER, "Dana")
    elsewhere = await a_tour_group(hub, "Madrid Weekend")

    assert (await (await clients(dana)).join(channel))["ok"]
    for person in (other_guide, partner, elsewhere.coordinator, lisbon.traveler):
        assert (await (await clients(person)).join(channel))["error"] == "forbidden", person.user.name
    assert (await (await clients(dana)).join(f"staff:{uuid.uuid4()}"))["error"] == "forbidden"
