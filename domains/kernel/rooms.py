"""Room keys: the names of the rooms that hear events and keep a log, and who of a room an event is for.

A key is a string on the wire (`group:<id>`, `staff:<group id>`, `dm:<user id>:<user id>`, `booking:<id>`,
`user:<id>`, `board:dispatch`), so it is a `str` here too: Socket.IO rooms, the room log's rows and tests
compare it as text. Build keys with the constructors below, never by hand; read one a client sent with
`parse_room`.

Every event declares its `Audience` (`Event.visible_to`): `EVERYONE` in the rooms it names, or only their
`STAFF`. One person is a `user_room(id)` key in the event's rooms. The server enforces it on live delivery
(`realtime/broadcast.py`) and on replay (`domains/conversations/audience.py`).
"""

from __future__ import annotations

import enum
import uuid

from domains.kernel.errors import Invalid

KINDS = ("group", "staff", "dm", "booking", "user")
STAFF_AUDIENCE = "staff"
TRAVELER_AUDIENCE = "travelers"
MAX_KEY_LENGTH = 80


class Audience(enum.StrEnum):
    """Who of a room may hear an event: every member, or only the organization's staff among them."""

    EVERYONE = "everyone"
    STAFF = "staff"


class RoomKey(str):
    """`kind:id`, or the dispatch board. A sub-room (`group:<id>#staff`) is a key of its own."""

    __slots__ = ()

    @property
    def kind(self) -> str:
        return "board" if self == BOARD else self.partition(":")[0]

    @property
    def id(self) -> uuid.UUID | None:
        """The group, booking or user the room is about; a direct conversation has two (`people`)."""
        if self == BOARD or self.kind == "dm":
            return None
        return uuid.UUID(self.partition(":")[2].partition("#")[0])

    @property
    def people(self) -> tuple[uuid.UUID, uuid.UUID]:
        """The two people of a direct conversation."""
        first, _, second = self.partition(":")[2].partition("#")[0].partition(":")
        return uuid.UUID(first), uuid.UUID(second)


BOARD = RoomKey("board:dispatch")


def group_room(group_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"group:{group_id}")


def staff_room(group_id: uuid.UUID) -> RoomKey:
    """The group's staff channel: a conversation of its own (own seq and log) that travelers cannot join."""
    return RoomKey(f"staff:{group_id}")


def dm_room(one: uuid.UUID, other: uuid.UUID) -> RoomKey:
    """Two people's direct conversation; the same key whoever of them opens it."""
    if one == other:
        raise Invalid("a direct conversation needs two different people")
    first, second = sorted((str(one), str(other)))
    return RoomKey(f"dm:{first}:{second}")


def booking_room(booking_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"booking:{booking_id}")


def user_room(user_id: uuid.UUID) -> RoomKey:
    return RoomKey(f"user:{user_id}")


def audience_room(room: str, audience: str) -> RoomKey:
    """The sub-room of a room's staff or travelers: a hand-off's transcript is for staff only, yet every
    member gets the event's seq, so nobody's log has a gap."""
    return RoomKey(f"{room}#{audience}")


def group_staff(group_id: uuid.UUID) -> RoomKey:
    """The staff among the members of a group's room (the Socket.IO sub-room they enter on join)."""
    return audience_room(group_room(group_id), STAFF_AUDIENCE)


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
        if kind == "dm":
            first, _, second = raw_id.partition(":")
            return dm_room(uuid.UUID(first), uuid.UUID(second))
        return RoomKey(f"{kind}:{uuid.UUID(raw_id)}")
    except ValueError:
        raise Invalid(f"unknown room {key!r}") from None
