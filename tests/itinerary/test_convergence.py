"""Hypothesis: 3–5 editors send random ops over a messy network (delays, duplicates, reordering,
disconnects, `since` catch-ups). In the end every client holds the server's itinerary, the server's
items equal a replay of the op log from empty, and every acknowledged edit survives unless a later op
in server order overwrote that field or removed the item.

The real domain service and database do the work; only the network is simulated. A client's state is
nothing but the `itinerary.applied` events it received, applied in seq order with `apply_op`.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domains.conversations.service import ConversationService
from domains.groups.schemas import GroupCreate
from domains.groups.service import GroupService
from domains.itineraries import store
from domains.itineraries.events import ItineraryApplied
from domains.itineraries.ops import Items, apply_op, replay, visible
from domains.itineraries.schemas import Item, Op
from domains.itineraries.service import ItineraryService
from domains.kernel.bus import Event
from domains.kernel.errors import Conflict, Invalid, NotFound
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group
from realtime.schemas import decoded
from tests.support.builders import Person, a_person, a_tour_group
from tests.support.itinerary_steps import principal_of

DAYS = ["2027-04-10", "2027-04-11", "2027-04-12", "2027-04-13", "2027-04-14"]
TIMES = [None, "08:00", "09:30", "11:00", "12:15", "14:00", "18:45"]
PLACES = [
    None,
    {"name": "Belém", "address": "", "lat": 38.69, "lon": -9.21},
    {"name": "Sintra", "lat": 38.79, "lon": -9.39},
]
STAFF = ["5b0f8a3e-0000-4000-8000-000000000001", "5b0f8a3e-0000-4000-8000-000000000002"]
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": st.sampled_from(["Tower", "Lunch", "Fado", "Bus", "Museum"]),
    "kind": st.sampled_from(["transfer", "visit", "meal", "hotel", "flight", "free", "note"]),
    "start": st.sampled_from(TIMES),
    "end": st.sampled_from(TIMES),
    "place": st.sampled_from(PLACES),
    "notes": st.text(alphabet="ab ", max_size=4),
    "status": st.sampled_from(["planned", "confirmed", "done", "cancelled"]),
    "voucher_id": st.none() | st.uuids().map(str),
    "staff_ids": st.lists(st.sampled_from(STAFF), max_size=2),
}  # fmt: skip
PICKS = st.lists(st.integers(0, 10**6), min_size=1, max_size=6)
STEPS = ["op", "op", "op", "burst", "deliver", "deliver", "deliver", "deliver", "duplicate", "disconnect",
         "reconnect", "resend"]  # fmt: skip


def fields_strategy(minimum: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=FIELD_VALUES).filter(lambda f: len(f) >= minimum)


@dataclass
class Client:
    person: Person
    state: Items = field(default_factory=dict)
    seen: int = 0
    inbox: list[dict[str, Any]] = field(default_factory=list)
    early: dict[int, dict[str, Any]] = field(default_factory=dict)
    connected: bool = True
    sent: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)

    def receive(self, event: dict[str, Any]) -> None:
        """Apply events in seq order: hold early ones back, drop ones already applied."""
        if event["seq"] <= self.seen:
            return
        self.early[event["seq"]] = event
        while self.seen + 1 in self.early:
            apply_op(self.state, self.early.pop(self.seen + 1)["op"])
            self.seen += 1


@dataclass
class Acked:
    seq: int
    op: dict[str, Any]


@pytest.fixture
async def office(hub: Hub) -> tuple[uuid.UUID, list[Person]]:
    lisbon = await a_tour_group(hub)
    dana = await a_person(hub, lisbon.org, Role.DISPATCHER, "Dana")
    ada = await a_person(hub, lisbon.org, Role.ADMIN, "Ada")
    return lisbon.org.id, [lisbon.coordinator, dana, ada]


# Every op is drawn with the same shape whatever the client knows, and then fitted to its state: a burst's
# outcome depends on which transaction wins, and the draws must not (hypothesis replays choice sequences).
PLANS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["add", "add", "set", "set", "set", "move", "move", "remove", "restore"]),
        "pick": st.integers(0, 10**6),
        "live_only": st.booleans(),
        "after": st.none() | st.integers(0, 10**6),
        "day": st.sampled_from(DAYS),
        "item_id": st.uuids().map(str),
        "fields": fields_strategy(1),
        "title": FIELD_VALUES["title"],
        "seq": st.integers(0, 10**6),
    }
)


def draw_op(data: st.DataObject, client: Client) -> dict[str, Any]:
    plan = data.draw(PLANS)
    live = sorted(i for i, item in client.state.items() if not item.removed)
    # What the client has heard of, plus the items it added itself (it made their ids).
    known = sorted(set(client.state) | {op["item_id"] for _, op, _ in client.sent if op["type"] == "add_item"})
    kind = plan["kind"] if known else "add"
    if kind == "restore":
        return {"type": "restore", "seq": plan["seq"] % (client.seen + 1)}
    after = None if plan["after"] is None or not known else known[plan["after"] % len(known)]
    if kind == "add":
        fields = plan["fields"] | {"title": plan["title"]}
        return {"type": "add_item", "item_id": plan["item_id"], "day": plan["day"], "after": after, "fields": fields}
    # Stale clients edit what they believe exists: sometimes items removed meanwhile.
    choices = live if live and plan["live_only"] else known
    item_id = choices[plan["pick"] % len(choices)]
    if kind == "set":
        return {"type": "set_fields", "item_id": item_id, "fields": plan["fields"]}
    if kind == "move":
        return {"type": "move_item", "item_id": item_id, "day": plan["day"], "after": after}
    return {"type": "remove_item", "item_id": item_id}


def overwritten(later: list[dict[str, Any]], item_id: str, field_name: str | None) -> bool:
    """Did a later logged op change this field (None: the item's place in the plan), or remove/restore it?"""
    for op in later:
        if op["type"] == "restore" and any(item["id"] == item_id for item in op["items"]):
            return True
        if op.get("item_id") != item_id:
            continue
        if op["type"] == "remove_item":
            return True
        if field_name is None and op["type"] == "move_item":
            return True
        if field_name is not None and op["type"] == "set_fields" and field_name in op["fields"]:
            return True
    return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), size=st.integers(3, 5))
async def test_every_client_converges_on_the_servers_itinerary(
    hub: Hub, office: tuple[uuid.UUID, list[Person]], data: st.DataObject, size: int
) -> None:
    org_id, people = office
    async with hub.unit_of_work(org_id) as uow:
        group: Group = await GroupService(uow.session, uow.bus).create_group(
            org_id, GroupCreate(name="Lisbon Spring", start_date=date(2027, 4, 10), end_date=date(2027, 4, 14))
        )
    room = f"group:{group.id}"
    clients = [Client(people[n % len(people)]) for n in range(size)]
    acked: list[Acked] = []

    async def network(event: Event) -> None:
        if isinstance(event, ItineraryApplied) and event.room == room:
            for client in clients:
                if client.connected:
                    client.inbox.append({"seq": event.seq, **event.data})

    async def send(client: Client, op: dict[str, Any], client_op_id: str | None = None) -> None:
        client_op_id = client_op_id or str(uuid.uuid4())
        principal = principal_of(client.person)
        try:
            async with hub.unit_of_work(org_id) as uow:
                ack = await ItineraryService(uow.session, uow.bus).apply(
                    principal, client.person.user.name, group.id, client_op_id, client.seen, decoded(op, Op)
                )
        except (Invalid, NotFound, Conflict):
            return  # refused: no seq, nothing broadcast
        if ack.duplicate:
            return
        client.sent.append((client_op_id, op, ack.seq))
        if not ack.dropped:
            acked.append(Acked(ack.seq, op))

    async def catch_up(client: Client) -> None:
        client.connected = True
        async with hub.unit_of_work(org_id) as uow:
            missed = await ConversationService(uow.session, uow.bus).replay(room, client.seen)
            if missed.resync:
                view = await ItineraryService(uow.session, uow.bus).snapshot(principal_of(client.person), group.id)
                client.state = {item.id: Item(**msgspec.structs.asdict(item)) for item in view.items}
                client.seen, client.early = view.seq, {}
        for event in missed.events:
            client.receive(event)

    hub.subscribers.subscribe(network)
    try:
        for _ in range(data.draw(st.integers(15, 50), label="steps")):
            step = data.draw(st.sampled_from(STEPS))
            client = data.draw(st.sampled_from(clients))
            if step == "op":
                await send(client, draw_op(data, client))
            elif step == "burst":
                # Several editors at once: the database serializes them (row lock / SQLite writer lock).
                chosen = data.draw(st.lists(st.sampled_from(clients), min_size=2, max_size=3, unique_by=id))
                ops = [(c, draw_op(data, c)) for c in chosen]
                await asyncio.gather(*(send(c, op) for c, op in ops))
            elif step == "deliver":
                # A few pending events, any of them first: delays and reordering.
                for pick in data.draw(PICKS):
                    if client.inbox:
                        client.receive(client.inbox.pop(pick % len(client.inbox)))
            elif step == "duplicate":
                pick = data.draw(PICKS)[0]
                if client.inbox:
                    client.receive(client.inbox[pick % len(client.inbox)])
            elif step == "disconnect":
                client.connected, client.inbox = False, []  # in-flight events are lost
            elif step == "reconnect":
                await catch_up(client)
            elif step == "resend":
                pick = data.draw(PICKS)[0]
                if not client.sent:
                    continue
                client_op_id, op, seq = client.sent[pick % len(client.sent)]
                principal = principal_of(client.person)
                async with hub.unit_of_work(org_id) as uow:
                    again = await ItineraryService(uow.session, uow.bus).apply(
                        principal, client.person.user.name, group.id, client_op_id, 0, decoded(op, Op)
                    )
                assert (again.seq, again.duplicate) == (seq, True)
        for client in clients:
            await catch_up(client)
    finally:
        hub.subscribers.unsubscribe(network)

    async with hub.unit_of_work(org_id) as uow:
        itinerary = await store.find_itinerary(uow.session, group.id)
        server: Items = store.items_of(await store.load_rows(uow.session, itinerary)) if itinerary else {}
        log = await store.ops_until(uow.session, itinerary, 10**9) if itinerary else []
        seqs = (
            [row.seq for row in (await store.op_page(uow.session, itinerary, None, 10**6))][::-1] if itinerary else []
        )
    assert replay(log) == server  # the materialized items are exactly the log folded from empty
    for client in clients:
        assert visible(client.state.values()) == visible(server.values())
    by_seq = dict(zip(seqs, log, strict=True))
    for ack in acked:
        later = [op for seq, op in by_seq.items() if seq > ack.seq]
        op = by_seq[ack.seq]
        item = server[op["item_id"]] if "item_id" in op else None
        if op["type"] == "set_fields":
            for name, value in op["fields"].items():
                if not overwritten(later, op["item_id"], name):
                    assert item is not None and not item.removed and getattr(item, name) == value, (ack, name)
        elif op["type"] in ("add_item", "move_item") and not overwritten(later, op["item_id"], None):
            assert item is not None and not item.removed and (item.day, item.key) == (op["day"], op["key"])
        elif op["type"] == "remove_item" and not any(o["type"] == "restore" for o in later):
            assert item is not None and item.removed
