"""A signed-in socket connection, the acks events answer with, and the Socket.IO name of a room."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from domains.kernel.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooLarge, Unauthenticated
from domains.kernel.rooms import BOARD
from domains.kernel.security import Principal
from realtime.ratelimit import TokenBucket

Ack = dict[str, Any]

ERROR_CODES: dict[type[DomainError], str] = {
    Forbidden: "forbidden",
    NotFound: "not_found",
    Invalid: "invalid",
    Conflict: "conflict",
    Unauthenticated: "unauthenticated",
    TooLarge: "payload_too_large",
}


@dataclass
class Connection:
    sid: str
    principal: Principal
    name: str
    bucket: TokenBucket
    rooms: set[str] = field(default_factory=set)
    status: str = "online"

    @property
    def member(self) -> dict[str, str]:
        return {"id": str(self.principal.user_id), "name": self.name}

    def joined(self, room: str) -> str:
        """The room, if this connection joined it: events about a room need its membership first."""
        if room not in self.rooms:
            raise Forbidden("join the room first")
        return room


def error_ack(exc: DomainError) -> Ack:
    code = next((code for kind, code in ERROR_CODES.items() if isinstance(exc, kind)), "error")
    return {"ok": False, "error": code, "message": exc.message}


def wire_room(room: str, org_id: uuid.UUID | str) -> str:
    """Every organization's board is called `board:dispatch` by clients; on the wire each organization
    has its own Socket.IO room, so one tenant's board never hears another's updates or presence."""
    return f"{BOARD}:{org_id}" if room == BOARD else room
