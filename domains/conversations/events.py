"""Room events. Each carries the room's seq, so clients can order, deduplicate and resume.

A logged event's class declares who of its room may read it (`visible_to`); the others get `redacted()`:
by default only the seq (`room.skip`), so their log has no gap and says nothing. Every logged type is in
`LOGGED` by its name, which is how a replay, holding only the stored type name, finds the declaration.
"""

from __future__ import annotations

from typing import Any

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience, RoomKey

SKIP = "room.skip"
LOGGED: dict[str, type[RoomEventRecorded]] = {}


class RoomEventRecorded(Event, frozen=True, kw_only=True):
    """Base of everything appended to a room's log."""

    name = "room.event"
    room: RoomKey
    seq: int
    data: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        LOGGED[cls.name] = cls

    @classmethod
    def redacted(cls, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """What a member who may not read the event gets instead (name, payload): its place in the log."""
        return SKIP, {"room": payload.get("room"), "seq": payload.get("seq")}


def logged_type(name: str) -> type[RoomEventRecorded] | None:
    """The class of a stored event type; None for a type this process does not know (treat as staff)."""
    return LOGGED.get(name)


class MessagePosted(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.posted"
    visible_to = Audience.EVERYONE


class MessageEdited(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.edited"
    visible_to = Audience.EVERYONE


class MessageDeleted(RoomEventRecorded, frozen=True, kw_only=True):
    name = "message.deleted"
    visible_to = Audience.EVERYONE


class FileShared(RoomEventRecorded, frozen=True, kw_only=True):
    name = "file.shared"
    visible_to = Audience.EVERYONE


class BotHandoff(RoomEventRecorded, frozen=True, kw_only=True):
    """The assistant handed a traveler's conversation to the people of the group's room: the transcript is
    for staff; travelers in the room get a stub that it happened, not what was said."""

    name = "bot.handoff"
    visible_to = Audience.STAFF

    @classmethod
    def redacted(cls, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        handoff = payload.get("handoff") or {}
        stub = {"id": handoff.get("id"), "redacted": True}
        return cls.name, {"room": payload.get("room"), "seq": payload.get("seq"), "handoff": stub}
