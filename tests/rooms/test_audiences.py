"""Who hears what: every event type × every role, live and on replay.

Lisbon Tours runs "Lisbon Spring": Olga (admin), Dana (dispatcher), Carla (coordinator), Ana (the guide)
and Duarte (the driver) work it; Tom and Rosa travel with it; Paula is a partner; Mia coordinates for
another operator. Everyone joins what they may (the group's room; the office also the board). Then every
event type the hub knows happens once in the group, and the table below says who must hear it: a
traveler's health is for staff and that traveler, an SMS reply or a reminder for staff only, a flight
change for everyone. Room log events are checked again on replay (`room:join` with `since`): who may not
read one gets its seq only (or a hand-off's stub), never its words.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec
import pytest

import hub.wiring  # noqa: F401  (every event type the hub knows is imported by its wiring)
from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.conversations.events import SKIP, RoomEventRecorded
from domains.conversations.log import RoomLog
from domains.groups.needs import needs_audience
from domains.groups.schemas import ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.bus import Event, EventBus
from domains.kernel.rooms import BOARD, RoomKey, group_audience, group_room, org_room, user_room
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from domains.users.events import UserCreated
from realtime.wire import wire_name
from tests.support.builders import Person, TourGroup, a_person, a_tour_group, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub

MEMBERS = ("admin", "dispatcher", "coordinator", "guide", "driver", "traveler", "other traveler")
STAFF = ("admin", "dispatcher", "coordinator", "guide", "driver")
OFFICE = ("admin", "dispatcher", "coordinator")
ROLES = (*MEMBERS, "partner", "other organization")

EVERYONE, STAFF_ONLY, STAFF_AND_TOM, BOARD_ONLY, NOBODY = "everyone", "staff", "staff+tom", "board", "nobody"

# Who of the group hears each event: the decision for every event type, in one table.
AUDIENCES: dict[str, str] = {
    "message.posted": EVERYONE,
    "message.edited": EVERYONE,
    "message.deleted": EVERYONE,
    "file.shared": EVERYONE,
    "itinerary.applied": EVERYONE,
    "bot.handoff": STAFF_ONLY,  # travelers get a stub: that it happened, not what was said
    "notification.overdue": STAFF_ONLY,
    "notification.reply": STAFF_ONLY,  # a guide's phone and words
    "flight.added": EVERYONE,
    "flight.changed": EVERYONE,
    "flight.passenger_added": EVERYONE,
    "group.created": EVERYONE,
    "group.updated": EVERYONE,
    "group.status_changed": EVERYONE,
    "participant.added": EVERYONE,
    "rooming_list.updated": EVERYONE,
    "assignment.confirmed": EVERYONE,  # the travelers' team changed
    "assignment.proposed": STAFF_ONLY,
    "assignment.declined": STAFF_ONLY,
    "voucher.issued": STAFF_ONLY,
    "voucher.transitioned": STAFF_ONLY,
    "voucher.redeemed": STAFF_ONLY,
    "reminder.sent": STAFF_ONLY,  # "no guide assigned (critical)", another traveler's name
    "alert.raised": STAFF_ONLY,  # a traveler's emergency, for the staff who must act
    "alert.escalated": STAFF_ONLY,
    "alert.acknowledged": STAFF_ONLY,
    "participant.needs_recorded": STAFF_AND_TOM,  # Tom's diet and health
    "itinerary.changed": BOARD_ONLY,
    "catalog.item_added": NOBODY,
    "catalog.item_changed": NOBODY,
    "catalog.item_retired": NOBODY,
    "organization.created": NOBODY,
    "organization.totp_policy_changed": NOBODY,
    "user.created": NOBODY,
    "auth.session_revoked": NOBODY,  # drops the session's sockets; nobody is told
}


def leaf_event_types() -> list[type[Event]]:
    found: list[type[Event]] = []
    stack: list[type[Event]] = [Event]
    while stack:
        kind = stack.pop()
        children = kind.__subclasses__()
        if not children and kind is not Event:
            found.append(kind)
        stack.extend(children)
    return sorted(found, key=lambda kind: kind.name)


EVENT_TYPES = leaf_event_types()


@dataclass
class World:
    lisbon: TourGroup
    people: dict[str, Person]
    outsider: Person

    @property
    def room(self) -> RoomKey:
        return group_room(self.lisbon.group.id)


async def lisbon_spring(hub: Hub) -> World:
    lisbon = await a_tour_group(hub)
    org = lisbon.org
    olga = await a_person(hub, org, Role.ADMIN, "Olga")
    dana = await a_person(hub, org, Role.DISPATCHER, "Dana")
    duarte = await a_person(hub, org, Role.DRIVER, "Duarte")
    rosa = await a_person(hub, org, Role.TRAVELER, "Rosa")
    paula = await a_person(hub, org, Role.PARTNER, "Paula")
    async with hub.unit_of_work(org.id) as uow:
        staff = await StaffService(uow.session, uow.bus).add_staff(
            org.id, StaffCreate(name="Duarte", role="driver", user_id=duarte.user.id)
        )
        group = lisbon.group
        await AssignmentService(uow.session, uow.bus).assign(
            group.id,
            AssignmentCreate(staff_id=staff.id, role="driver", start_date=group.start_date, end_date=group.end_date),
        )
        await GroupService(uow.session, uow.bus).add_participant(
            group.id, ParticipantCreate(name="Rosa", user_id=rosa.user.id, booking_id=lisbon.booking.id)
        )
    elsewhere = await a_tour_group(hub, "Madrid Weekend")
    people = {
        "admin": olga,
        "dispatcher": dana,
        "coordinator": lisbon.coordinator,
        "guide": lisbon.guide,
        "driver": duarte,
        "traveler": lisbon.traveler,
        "other traveler": rosa,
        "partner": paula,
        "other organization": elsewhere.coordinator,
    }
    return World(lisbon=lisbon, people=people, outsider=elsewhere.coordinator)


def sample(annotation: Any, field: str, world: World) -> Any:
    """A plausible value of a field's type: ids point into Lisbon Spring where they name its group."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return sample(next(a for a in typing.get_args(annotation) if a is not type(None)), field, world)
    if origin is not None:
        return origin()
    if annotation is uuid.UUID:
        return world.lisbon.group.id if field == "group_id" else uuid.uuid4()
    return {str: "probe", int: 1, bool: True}[annotation]


def an_event(kind: type[Event], world: World) -> Event:
    hints = typing.get_type_hints(kind)
    values = {
        field: sample(hints[field], field, world)
        for field in msgspec.structs.fields(kind)  # type: ignore[arg-type]
        for field in [field.name]
        if field not in ("org_id", "audience")
    }
    org_id, group_id, tom = world.lisbon.org.id, world.lisbon.group.id, world.lisbon.traveler.user.id
    audience = {
        BOARD_ONLY: (BOARD,),
        STAFF_AND_TOM: needs_audience(group_id, tom),
        NOBODY: (org_room(org_id),) if not kind.name.startswith("catalog.") else (),
    }.get(AUDIENCES[kind.name], group_audience(group_id))
    if kind.name == "auth.session_revoked":
        audience = (user_room(tom),)
    return kind(org_id=org_id, audience=audience, **values)


def logged_data(kind: type[RoomEventRecorded]) -> dict[str, Any]:
    data: dict[str, Any] = {"probe": kind.name, "text": f"secret of {kind.name}"}
    if kind.name == "bot.handoff":
        data["handoff"] = {"id": "h-1", "reason": "emergency", "transcript": [{"from": "traveler", "text": "Help"}]}
    return data


def everything_happens(world: World, sentinel: uuid.UUID) -> Callable[[Hub], Any]:
    """In the server: every logged type appended to the group room's log, every other type published, then a
    last word to each person, which tells the test that all before it has arrived."""
    org_id = world.lisbon.org.id

    async def work(hub: Hub) -> None:
        async with hub.unit_of_work(org_id) as uow:
            log = RoomLog(uow.session, uow.bus)
            for kind in EVENT_TYPES:
                if issubclass(kind, RoomEventRecorded):
                    await log.append(kind, org_id, None, world.room, logged_data(kind))
        # The other events go to the sockets only: the notification outbox would act on their made-up ids.
        bus = EventBus()
        for kind in EVENT_TYPES:
            if not issubclass(kind, RoomEventRecorded):
                bus.publish(an_event(kind, world))
        people = tuple(user_room(person.user.id) for person in world.people.values())
        bus.publish(UserCreated(org_id=org_id, audience=people, user_id=sentinel, role="sentinel"))
        for event in bus.pending:
            for handler in hub.subscribers.handlers_for(event):
                if handler.__module__ == "realtime.broadcast":
                    await handler(event)

    return work


def readers(audience: str) -> set[str]:
    return {
        EVERYONE: set(MEMBERS),
        STAFF_ONLY: set(STAFF),
        STAFF_AND_TOM: {*STAFF, "traveler"},
        BOARD_ONLY: set(),
        NOBODY: set(),
    }[audience]


@pytest.fixture
async def everyone(server: RunningHub, http: httpx.AsyncClient) -> AsyncIterator[tuple[World, dict[str, LiveClient]]]:
    world = await server.run(lisbon_spring)
    async with AsyncExitStack() as stack:
        clients: dict[str, LiveClient] = {}
        for role, person in world.people.items():
            client = LiveClient(role)
            await client.connect(server.url, (await sign_in(http, person))["access_token"])
            stack.push_async_callback(client.close)
            clients[role] = client
        yield world, clients


def test_the_table_names_every_event_type() -> None:
    assert sorted(AUDIENCES) == sorted(kind.name for kind in EVENT_TYPES)
    for kind in EVENT_TYPES:
        declared = "everyone" if AUDIENCES[kind.name] == EVERYONE else "staff"
        assert kind.visible_to == declared, kind.name


async def test_every_event_reaches_exactly_its_audience_live_and_on_replay(
    server: RunningHub, everyone: tuple[World, dict[str, LiveClient]]
) -> None:
    world, clients = everyone
    for role, client in clients.items():
        joined = await client.join(world.room)
        assert joined["ok"] is (role in MEMBERS), (role, joined)
        board = await client.join("board:dispatch")  # Mia coordinates elsewhere: her own organization's board
        assert board["ok"] is (role in (*OFFICE, "other organization")), (role, board)

    sentinel = uuid.uuid4()
    await server.run(everything_happens(world, sentinel))
    for client in clients.values():
        await client.wait_for("user:created", lambda d: d["user_id"] == str(sentinel))

    for kind in EVENT_TYPES:
        expected = readers(AUDIENCES[kind.name])
        name = wire_name(kind.name)
        for role, client in clients.items():
            heard = client.received[name]
            if issubclass(kind, RoomEventRecorded):
                full = [d for d in heard if d.get("probe") == kind.name]
                assert bool(full) is (role in expected), (kind.name, role)
                if full:
                    continue
                # A member who may not read it still gets its place in the log, and not a word of it.
                stubs = client.received[wire_name(SKIP)] + client.received["bot:handoff"]
                for stub in stubs:
                    assert "text" not in stub and "probe" not in stub and "transcript" not in str(stub)
                seqs = {stub["seq"] for stub in stubs}
                assert (role in MEMBERS) is bool(seqs), (kind.name, role)
            else:
                got = [d for d in heard if d.get("user_id") != str(sentinel)]
                assert bool(got) is (role in expected), (kind.name, role)
        board = {role for role, client in clients.items() for d in client.received["board:update"]}
        assert board <= set(OFFICE)

    # Replay: a member who was away rejoins from the start and gets what they may read, the seqs of the rest.
    for role in MEMBERS:
        again = await clients[role].join(world.room, since=0)
        missed = {e.get("probe") or e.get("event") for e in again["missed"]}
        assert len(again["missed"]) == again["seq"], role  # no gap: every seq, readable or not
        for kind in EVENT_TYPES:
            if issubclass(kind, RoomEventRecorded):
                assert (kind.name in missed) is (role in readers(AUDIENCES[kind.name])), (kind.name, role)
        for event in again["missed"]:
            if "probe" not in event:
                assert "text" not in event and "transcript" not in str(event), (role, event)
