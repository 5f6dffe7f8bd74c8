"""Room events. Each carries the room's seq, so clients can order, deduplicate and resume."""

from __future__ import annotations

from typing import Any

from domains.kernel.bus import Event
from domains.kernel.rooms import RoomKey


class RoomEventRecorded(Event, frozen=True, kw_only=True):
    """Base of everything appended to a room's log."""

    name = "room.event"
    room: RoomKey
    seq: int
    data: dict[str, Any]


class MessagePosted(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.posted"


class MessageEdited(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.edited"


class MessageDeleted(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.deleted"


class FileShared(RoomEventRecorded, frozen=True, kw_only=True):
    name = "file.shared"


class BotHandoff(RoomEventRecorded, frozen=True, kw_only=True):
    """The assistant handed a traveler's conversation to the people of the group's room."""

    name = "bot.handoff"
