"""Direct messages: Carla (coordinator) and Tom (traveler) of Lisbon Spring write to each other privately.

The conversation's key is the same whoever opens it; a message reaches the other person on any page, before
they have opened the conversation; it replays, pages and edits like a room. Only two people of one
organization who share a group may talk: not a stranger, not another operator's staff, not one traveler to
another (they talk in their group's room).
"""

from __future__ import annotations

import uuid

import httpx

from domains.groups.schemas import ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.rooms import dm_room
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, a_tour_group, bearer, sign_in
from tests.support.live import Connect


async def test_a_coordinator_and_a_traveler_write_to_each_other(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    carla_id, tom_id = lisbon.coordinator.user.id, lisbon.traveler.user.id
    conversation = dm_room(carla_id, tom_id)
    assert conversation == dm_room(tom_id, carla_id)
    carla, tom, ana = await clients(lisbon.coordinator), await clients(lisbon.traveler), await clients(lisbon.guide)
    await ana.join(lisbon.room)

    # Tom opens it with the ids the other way round: the same conversation.
    joined = await tom.join(f"dm:{tom_id}:{carla_id}")
    assert joined["ok"] and joined["room"] == conversation and joined["seq"] == 0
    sent = await tom.call("chat:send", {"room": conversation, "client_id": "t-1", "text": "I lost my passport"})
    assert sent["ok"] and sent["message"]["seq"] == 1

    # Carla has not opened the conversation: the message reaches her anyway, and she answers after joining.
    heard = await carla.wait_for("chat:message", lambda d: d["room"] == conversation)
    assert heard["message"]["text"] == "I lost my passport" and heard["message"]["author"]["name"] == "Tom"
    assert (await carla.join(conversation))["ok"]
    await carla.call("chat:send", {"room": conversation, "client_id": "c-1", "text": "Stay at the hotel, I'll call"})
    answer = await tom.wait_for("chat:message", lambda d: d["message"]["text"].startswith("Stay"))
    assert answer["seq"] == 2

    # Ana, in the group room at the same time, hears nothing of it and cannot join it.
    assert (await ana.join(conversation))["error"] == "forbidden"
    assert all(d.get("room") != conversation for events in ana.received.values() for d in events if isinstance(d, dict))

    # Tom's phone dropped: he rejoins from seq 1 and gets the rest; history pages like a room.
    await tom.close()
    await carla.call("chat:edit", {"room": conversation, "message_id": answer["message"]["id"], "text": "Stay put"})
    tom = await clients(lisbon.traveler)
    back = await tom.join(conversation, since=1)
    assert [e["event"] for e in back["missed"]] == ["chat:message", "chat:updated"]
    history = await tom.call("chat:history", {"room": conversation})
    assert [m["text"] for m in history["messages"]] == ["I lost my passport", "Stay put"]


async def test_files_in_a_conversation_are_for_its_two_people(
    hub: Hub, clients: Connect, http: httpx.AsyncClient
) -> None:
    lisbon = await a_tour_group(hub)
    conversation = dm_room(lisbon.coordinator.user.id, lisbon.traveler.user.id)
    tom = bearer(await sign_in(http, lisbon.traveler))
    photo = {"file": ("photo.txt", b"page 1")}
    shared = await http.post(f"/api/v1/rooms/{conversation}/files", files=photo, headers=tom)
    assert shared.status_code == 201, shared.text
    file_id = shared.json()["file"]["id"]
    carla = bearer(await sign_in(http, lisbon.coordinator))
    assert (await http.get(f"/api/v1/files/{file_id}", headers=carla)).status_code == 200
    ana = bearer(await sign_in(http, lisbon.guide))
    assert (await http.get(f"/api/v1/files/{file_id}", headers=ana)).status_code == 403


async def test_who_may_write_to_whom(hub: Hub, clients: Connect) -> None:
    lisbon = await a_tour_group(hub)
    org = lisbon.org
    rosa = await a_person(hub, org, Role.TRAVELER, "Rosa")
    async with hub.unit_of_work(org.id) as uow:
        await GroupService(uow.session, uow.bus).add_participant(
            lisbon.group.id, ParticipantCreate(name="Rosa", user_id=rosa.user.id, booking_id=lisbon.booking.id)
        )
    bruno = await a_person(hub, org, Role.GUIDE, "Bruno")  # a guide of Lisbon Tours, not of this group
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    paula = await a_person(hub, org, Role.PARTNER, "Paula")
    elsewhere = await a_tour_group(hub, "Madrid Weekend")
    carla, ana, tom = lisbon.coordinator, lisbon.guide, lisbon.traveler

    allowed = [(carla, tom), (ana, tom), (carla, ana), (dana, carla), (dana, bruno), (ana, carla)]
    refused = [
        (tom, rosa),  # travelers talk in their group's room
        (bruno, tom),  # shares no group with Tom
        (paula, carla),  # partners have vouchers, not conversations
        (carla, elsewhere.traveler),  # another operator's traveler
        (elsewhere.coordinator, tom),
    ]
    for one, other in allowed:
        client = await clients(one)
        assert (await client.join(dm_room(one.user.id, other.user.id)))["ok"], (one.user.name, other.user.name)
        await client.close()
    for one, other in refused:
        client = await clients(one)
        joined = await client.join(dm_room(one.user.id, other.user.id))
        assert joined["error"] == "forbidden", (one.user.name, other.user.name)
        await client.close()

    # Nobody listens in on two others, and the key must name two different people.
    client = await clients(dana)
    assert (await client.join(dm_room(carla.user.id, tom.user.id)))["error"] == "forbidden"
    assert (await client.join(f"dm:{dana.user.id}:{dana.user.id}"))["error"] == "invalid"
    assert (await client.join(f"dm:{dana.user.id}"))["error"] == "invalid"
    assert (await client.join(f"dm:{dana.user.id}:{uuid.uuid4()}"))["error"] == "forbidden"
