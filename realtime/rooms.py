"""`room:join`, `room:leave`, presence and typing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domains.conversations.access import RoomAccess
from domains.conversations.handoff import audience_of, visible_event
from domains.conversations.service import ConversationService
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.rooms import BOARD as BOARD_ROOM
from domains.kernel.rooms import STAFF_AUDIENCE, TRAVELER_AUDIENCE, audience_room
from realtime import metrics
from realtime.presence import AWAY, OFFLINE, ONLINE, Member, fold
from realtime.wire import wire_event

if TYPE_CHECKING:
    from realtime.server import Ack, Connection, Realtime


def optional_int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Invalid(f"{key} must be a non-negative integer")
    return value


def wire_room(room: str, org_id: object) -> str:
    """Every organization's board is called `board:dispatch` by clients; on the wire each organization
    has its own Socket.IO room, so one tenant's board never hears another's updates or presence."""
    return f"{BOARD_ROOM}:{org_id}" if room == BOARD_ROOM else room


def joined_room(connection: Connection, data: dict[str, Any]) -> str:
    room = data.get("room")
    if not isinstance(room, str) or room not in connection.rooms:
        raise Forbidden("join the room first")
    return room


async def _set_presence(rt: Realtime, connection: Connection, room: str, status: str) -> None:
    """Store this connection's status in the room and tell the room when the user's folded status changed."""
    user_id = str(connection.principal.user_id)
    key = wire_room(room, connection.principal.org_id)
    before = fold(await rt.presence.entries(key)).get(user_id)
    if status == OFFLINE:
        await rt.presence.drop(key, connection.sid)
    else:
        await rt.presence.put(key, connection.sid, Member(user_id, connection.name, status))
    after = fold(await rt.presence.entries(key)).get(user_id)
    old, new = (before.status if before else OFFLINE), (after.status if after else OFFLINE)
    if old != new:
        await rt.emit("presence:update", {"room": room, "user": connection.member, "status": new}, room=key)


async def join_room(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    since = optional_int(data, "since")
    try:
        async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
            room = str(await RoomAccess(uow.session).check_join(connection.principal, data.get("room")))
    except Forbidden:
        metrics.REFUSED_JOINS.inc()
        raise
    # Enter before reading the log: an event committed in between arrives twice (live and replayed),
    # never zero times, and clients drop what they have by seq.
    await rt.sio.enter_room(connection.sid, wire_room(room, connection.principal.org_id))
    await rt.sio.enter_room(connection.sid, audience_room(room, audience_of(connection.principal)))
    if room not in connection.rooms:
        connection.rooms.add(room)
        metrics.ROOMS.set(len({r for c in rt.connections.values() for r in c.rooms}))
    await _set_presence(rt, connection, room, connection.status)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        replay = await ConversationService(uow.session, uow.bus).replay(room, since)
    metrics.REPLAYED.inc(len(replay.events))
    members = [
        member.view()
        for member in fold(await rt.presence.entries(wire_room(room, connection.principal.org_id))).values()
    ]
    return {
        "room": room,
        "seq": replay.seq,
        "members": members,
        "missed": [
            wire_event(event.pop("type"), event)
            for event in (visible_event(connection.principal, e) for e in replay.events)
        ],
        "resync": replay.resync,
    }


async def leave_room(rt: Realtime, connection: Connection, room: str) -> None:
    connection.rooms.discard(room)
    await rt.sio.leave_room(connection.sid, wire_room(room, connection.principal.org_id))
    for audience in (STAFF_AUDIENCE, TRAVELER_AUDIENCE):
        await rt.sio.leave_room(connection.sid, audience_room(room, audience))
    await _set_presence(rt, connection, room, OFFLINE)


async def on_leave(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    await leave_room(rt, connection, room)
    return {"room": room}


async def on_typing(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    room = joined_room(connection, data)
    key = wire_room(room, connection.principal.org_id)
    await rt.emit("presence:typing", {"room": room, "user": connection.member}, room=key, skip_sid=connection.sid)
    return {}


async def on_status(rt: Realtime, connection: Connection, data: dict[str, Any]) -> Ack:
    status = data.get("status")
    if status not in (ONLINE, AWAY):
        raise Invalid("status must be 'online' or 'away'")
    connection.status = status
    for room in list(connection.rooms):
        await _set_presence(rt, connection, room, status)
    return {"status": status}


async def announce_departures(rt: Realtime, removed: dict[str, list[Member]]) -> None:
    """After the entries of a dead process were swept: who is now gone from each room."""
    for room, gone in removed.items():
        still_here = fold(await rt.presence.entries(room))
        for member in {m.user_id: m for m in gone}.values():
            if member.user_id not in still_here:
                user = {"id": member.user_id, "name": member.name}
                await rt.emit("presence:update", {"room": room, "user": user, "status": OFFLINE}, room=room)


def register(rt: Realtime) -> None:
    rt.on("room:join", lambda connection, data: join_room(rt, connection, data))
    rt.on("room:leave", lambda connection, data: on_leave(rt, connection, data))
    rt.on("presence:typing", lambda connection, data: on_typing(rt, connection, data))
    rt.on("presence:set", lambda connection, data: on_status(rt, connection, data))
