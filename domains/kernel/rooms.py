"""Room keys: the names of the rooms that hear events and keep a log.

A key is a string on the wire (`group:<id>`, `booking:<id>`, `user:<id>`, `board:dispatch`), so it is a
`str` here too: Socket.IO rooms, the room log's rows and tests compare it as text. Build keys with the
constructors below, never by hand; read one a client sent with `parse_room`.
"""

from __future__ import annotations

import uuid

from domains.kernel.errors import Invalid

KINDS = ("group", "booking", "user")
STAFF_AUDIENCE = "staff"
TRAVELER_AUDIENCE = "travelers"
MAX_KEY_LENGTH = 80


class RoomKey(str):
    """`kind:id`, or the dispatch board. A sub-room (`group:<id>#staff`) is a key of its own."""

    __slots__ = ()

    @property
    def kind(self) -> str:
        return "board" if self == BOARD else self.partition(":")[0]

    @property
    def id(self) -> uuid.UUID | None:
        if self == BOARD:
            return None
        return uuid.UUID(self.partition(":")[2].partition("#")[0])


BOARD = RoomKey("board:dispatch")


def group_room(group_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"group:{group_id}")


def booking_room(booking_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"booking:{booking_id}")


def user_room(user_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"user:{user_id}")


def audience_room(room: str, audience: str) -> RoomKey:
    """The sub-room of a room's staff or travelers: a hand-off's transcript is for staff only, yet every
    member gets the event's seq, so nobody's log has a gap."""
    return RoomKey(f"{room}#{audience}")


def org_room(org_id: uuid.UUID) -> RoomKey:
    """Everyone of an organization (no client joins it today: the event is for subscribers)."""
    return RoomKey(f"org:{org_id}")


def group_audience(group_id: uuid.UUID) -> tuple[RoomKey, ...]:
    """Changes to a group are news for its room and for the dispatch board."""
    return (group_room(group_id), BOARD)


def parse_room(key: object) -> RoomKey:
    """A key a client sent: the board, or one of `KINDS` with a UUID; anything else is `Invalid`."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
        raise Invalid("room must be a string like 'group:<id>'")
    if key == BOARD:
        return BOARD
    kind, _, raw_id = key.partition(":")
    if kind not in KINDS:
        raise Invalid(f"unknown room {key!r}")
    try:
        return RoomKey(f"{kind}:{uuid.UUID(raw_id)}")
    except ValueError:
        raise Invalid(f"unknown room {key!r}") from None
