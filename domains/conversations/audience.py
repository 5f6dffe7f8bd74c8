"""Who of a room reads which of its events: the one rule for live delivery and for replay.

An event's class declares `visible_to` (`domains.kernel.rooms.Audience`). Staff read everything of a room
they may join; everyone else reads the events declared for `EVERYONE` and, for the others, what the
event's class lets them see instead (its seq, or a hand-off's stub). A stored type this process does not
know counts as staff-only, so a new event never leaks by default.
"""

from __future__ import annotations

from typing import Any

from domains.conversations.events import RoomEventRecorded, logged_type
from domains.kernel.rooms import STAFF_AUDIENCE, TRAVELER_AUDIENCE, Audience
from domains.kernel.security import Principal


def audience_of(principal: Principal) -> str:
    """The Socket.IO sub-room of a room a member enters on join: its staff, or everyone else."""
    return STAFF_AUDIENCE if principal.is_staff else TRAVELER_AUDIENCE


def may_read(principal: Principal, visible_to: Audience) -> bool:
    return visible_to == Audience.EVERYONE or principal.is_staff


def visible_event(principal: Principal, event: dict[str, Any]) -> dict[str, Any]:
    """A logged room event (`{type, room, seq, ...}`) as this principal may replay it."""
    kind = logged_type(str(event.get("type")))
    if may_read(principal, kind.visible_to if kind else Audience.STAFF):
        return event
    name, payload = (kind or RoomEventRecorded).redacted(event)
    return {**payload, "type": name}
