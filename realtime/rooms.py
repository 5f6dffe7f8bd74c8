"""`room:join`, `room:leave`, presence and typing."""

from __future__ import annotations

from domains.conversations.access import RoomAccess
from domains.conversations.audience import audience_of, visible_event
from domains.conversations.service import ConversationService
from domains.kernel.errors import Forbidden
from domains.kernel.rooms import audience_room
from realtime import metrics
from realtime.connections import Ack, Connection, wire_room
from realtime.presence import fold
from realtime.schemas import InRoom, JoinRoom, SetStatus
from realtime.server import Realtime
from realtime.wire import wire_event


async def on_join(rt: Realtime, connection: Connection, request: JoinRoom) -> Ack:
    """`{room, since?}` → the room's seq, who is here, and every event after `since` (or `resync`)."""
    try:
        async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
            room = str(await RoomAccess(uow.session).check_join(connection.principal, request.room))
    except Forbidden:
        metrics.REFUSED_JOINS.inc()
        raise
    # Enter before reading the log: an event committed in between arrives twice (live and replayed),
    # never zero times, and clients drop what they have by seq.
    await rt.sio.enter_room(connection.sid, wire_room(room, connection.principal.org_id))
    await rt.sio.enter_room(
        connection.sid, audience_room(wire_room(room, connection.principal.org_id), audience_of(connection.principal))
    )
    if room not in connection.rooms:
        connection.rooms.add(room)
        metrics.ROOMS.set(len({r for c in rt.connections.values() for r in c.rooms}))
    await rt.set_presence(connection, room, connection.status)
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        replay = await ConversationService(uow.session, uow.bus).replay(room, request.since)
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


async def on_leave(rt: Realtime, connection: Connection, request: InRoom) -> Ack:
    room = connection.joined(request.room)
    await rt.leave(connection, room)
    return {"room": room}


async def on_typing(rt: Realtime, connection: Connection, request: InRoom) -> Ack:
    room = connection.joined(request.room)
    key = wire_room(room, connection.principal.org_id)
    await rt.emit("presence:typing", {"room": room, "user": connection.member}, room=key, skip_sid=connection.sid)
    return {}


async def on_status(rt: Realtime, connection: Connection, request: SetStatus) -> Ack:
    connection.status = request.status
    for room in list(connection.rooms):
        await rt.set_presence(connection, room, request.status)
    return {"status": request.status}


def register(rt: Realtime) -> None:
    rt.on("room:join", lambda connection, request: on_join(rt, connection, request), JoinRoom)
    rt.on("room:leave", lambda connection, request: on_leave(rt, connection, request), InRoom)
    rt.on("presence:typing", lambda connection, request: on_typing(rt, connection, request), InRoom)
    rt.on("presence:set", lambda connection, request: on_status(rt, connection, request), SetStatus)
