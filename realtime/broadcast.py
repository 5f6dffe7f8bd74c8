"""Domain events → Socket.IO emits to the rooms each event names as its audience, to whom it declares.

One rule (`Event.visible_to`, `domains/conversations/audience.py` for replay): an event for `EVERYONE` goes
to the whole of each room it names; an event for `STAFF` goes to the staff among a room's members (the
`#staff` sub-room they entered on join) and, for a logged event, the others get what its class lets them
see instead (its seq, a hand-off's stub), so their log has no gap. A `user:<id>` room is one person, who
hears the event either way; the dispatch board is the office's. A direct conversation (`dm:`) reaches
both of its people wherever they are connected, joined or not, so a new message is news at once.
"""

from __future__ import annotations

from typing import Any

from domains.auth.events import SessionRevoked
from domains.conversations.events import RoomEventRecorded
from domains.kernel.bus import Event
from domains.kernel.rooms import BOARD, STAFF_AUDIENCE, TRAVELER_AUDIENCE, Audience, RoomKey, audience_room, user_room
from realtime.connections import wire_room
from realtime.server import Realtime
from realtime.wire import wire_name


def subscribe(rt: Realtime) -> None:
    async def broadcast(event: Event) -> None:
        if isinstance(event, SessionRevoked):
            await rt.disconnect_session(event.session_id, event.reason)
            return
        if isinstance(event, RoomEventRecorded):
            await logged(rt, event)
            return
        payload = event.payload()
        for room in event.audience:
            if room == BOARD:
                # The board hears one kind of event: "this group changed", with what happened.
                await rt.emit("board:update", {"event": event.name, **payload}, room=wire_room(room, event.org_id))
            elif event.visible_to == Audience.EVERYONE or room.kind == "user" or "#" in room:
                await rt.emit(wire_name(event.name), payload, room=room)
            else:
                await rt.emit(
                    wire_name(event.name), payload, room=audience_room(wire_room(room, event.org_id), STAFF_AUDIENCE)
                )

    rt.hub.subscribers.subscribe(broadcast)


async def logged(rt: Realtime, event: RoomEventRecorded) -> None:
    """An event of a room's log, with its seq, to the members who may read it (and its place to the others)."""
    room: RoomKey = event.room
    payload: dict[str, Any] = {"room": room, "seq": event.seq, **event.data}
    name = wire_name(event.name)
    if room.kind == "dm" and event.visible_to == Audience.EVERYONE:
        for person in room.people:
            await rt.emit(name, payload, room=user_room(person))
    elif event.visible_to == Audience.EVERYONE:
        await rt.emit(name, payload, room=wire_room(room, event.org_id))
    else:
        # Sub-rooms are named after the wire room: each organization's board has its own staff.
        await rt.emit(name, payload, room=audience_room(wire_room(room, event.org_id), STAFF_AUDIENCE))
        other_name, stub = event.redacted(payload)
        await rt.emit(wire_name(other_name), stub, room=audience_room(wire_room(room, event.org_id), TRAVELER_AUDIENCE))
