"""Domain events → Socket.IO emits to the rooms each event names as its audience."""

from __future__ import annotations

from domains.auth.events import SessionRevoked
from domains.conversations.events import RoomEventRecorded
from hub.bus import Event
from realtime.server import Realtime
from realtime.wire import wire_name


def subscribe(rt: Realtime) -> None:
    async def broadcast(event: Event) -> None:
        if isinstance(event, SessionRevoked):
            await rt.disconnect_session(event.session_id)
            return
        if isinstance(event, RoomEventRecorded):
            await rt.emit(wire_name(event.name), {"room": event.room, "seq": event.seq, **event.data}, room=event.room)
            return
        for room in event.audience:
            await rt.emit(wire_name(event.name), event.payload(), room=room)

    rt.hub.subscribers.subscribe(broadcast)
