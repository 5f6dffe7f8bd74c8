"""Domain events → Socket.IO emits to the rooms each event names as its audience."""

from __future__ import annotations

from domains.auth.events import SessionRevoked
from domains.conversations.events import BotHandoff, RoomEventRecorded
from domains.conversations.handoff import redacted
from domains.kernel.bus import Event
from domains.kernel.rooms import BOARD, STAFF_AUDIENCE, TRAVELER_AUDIENCE, audience_room
from realtime.connections import wire_room
from realtime.server import Realtime
from realtime.wire import wire_name


def subscribe(rt: Realtime) -> None:
    async def broadcast(event: Event) -> None:
        if isinstance(event, SessionRevoked):
            await rt.disconnect_session(event.session_id, event.reason)
            return
        if isinstance(event, BotHandoff):
            # The transcript is for the group's staff; travelers in the room get the seq, not the words.
            payload = {"room": event.room, "seq": event.seq, **event.data}
            await rt.emit("bot:handoff", payload, room=audience_room(event.room, STAFF_AUDIENCE))
            await rt.emit("bot:handoff", redacted(payload), room=audience_room(event.room, TRAVELER_AUDIENCE))
            return
        if isinstance(event, RoomEventRecorded):
            data = {"room": event.room, "seq": event.seq, **event.data}
            await rt.emit(wire_name(event.name), data, room=wire_room(event.room, event.org_id))
            return
        payload = event.payload()
        for room in event.audience:
            if room == BOARD:
                # The board hears one kind of event: "this group changed", with what happened.
                await rt.emit("board:update", {"event": event.name, **payload}, room=wire_room(room, event.org_id))
            else:
                await rt.emit(wire_name(event.name), payload, room=room)

    rt.hub.subscribers.subscribe(broadcast)
