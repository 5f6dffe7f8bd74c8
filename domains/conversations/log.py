"""A room's ordered log: every event gets the room's next seq, is stored, and only then announced.

Chat and the itinerary both write here, so one `since` on rejoin catches a client up on both.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from domains.conversations.events import RoomEventRecorded
from domains.kernel.bus import EventBus
from domains.kernel.db import dialect_insert, utcnow
from domains.kernel.rooms import RoomKey
from domains.models import RoomEvent, RoomSequence

MAX_REPLAY = 200

# Chat's hot path runs these Core statements, built once: the ORM's flush and per-call statement
# building cost more CPU than SQLite spends storing the rows.
_SEQUENCES = cast(Table, RoomSequence.__table__)
_INSERT_EVENT = insert(cast(Table, RoomEvent.__table__))


@cache
def _bump_statement(
    dialect_insert: Callable[[Table], postgresql.Insert | sqlite.Insert],
) -> ReturningInsert[int]:
    return (
        dialect_insert(_SEQUENCES)
        .on_conflict_do_update(
            index_elements=[_SEQUENCES.c.org_id, _SEQUENCES.c.room], set_={"last_seq": _SEQUENCES.c.last_seq + 1}
        )
        .returning(_SEQUENCES.c.last_seq)
    )


@dataclass(frozen=True, slots=True)
class Replay:
    seq: int
    events: list[dict[str, Any]]
    resync: bool


class RoomLog:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def next_seq(self, org_id: uuid.UUID, room: str) -> int:
        """Bump the room's counter, creating it on first use, in one statement. The row stays locked until
        commit (on SQLite the whole database does), so seqs are handed out in commit order with no gaps."""
        bump = _bump_statement(dialect_insert(self.session))
        bumped = await self.session.execute(bump, {"room": room, "org_id": org_id, "last_seq": 1})
        return int(bumped.scalar_one())

    async def give_back_seq(self, org_id: uuid.UUID, room: str) -> None:
        """Undo `next_seq` when nothing was stored under it; safe because we still hold the counter's lock."""
        await self.session.execute(
            update(RoomSequence)
            .where(RoomSequence.org_id == org_id, RoomSequence.room == room)
            .values(last_seq=RoomSequence.last_seq - 1)
            .execution_options(synchronize_session=False)
        )

    async def record(
        self,
        kind: type[RoomEventRecorded],
        org_id: uuid.UUID,
        author_id: uuid.UUID | None,
        room: str,
        seq: int,
        data: dict[str, Any],
        audience: tuple[RoomKey, ...] | None = None,
    ) -> None:
        """Store the event under `seq` and announce it once the unit of work commits, to the whole room
        unless `audience` names who may hear it (a staff-only sub-room)."""
        await self.session.execute(
            _INSERT_EVENT,
            {
                "org_id": org_id,
                "room": room,
                "seq": seq,
                "type": kind.name,
                "payload": data,
                "author_id": author_id,
                "created_at": utcnow(),
            },
        )
        key = RoomKey(room)
        self.bus.publish(kind(org_id=org_id, audience=audience or (key,), room=key, seq=seq, data=data))

    async def append(
        self,
        kind: type[RoomEventRecorded],
        org_id: uuid.UUID,
        author_id: uuid.UUID | None,
        room: str,
        data: dict[str, Any],
        audience: tuple[RoomKey, ...] | None = None,
    ) -> int:
        seq = await self.next_seq(org_id, room)
        await self.record(kind, org_id, author_id, room, seq, data, audience)
        return seq

    async def current_seq(self, room: str) -> int:
        value = await self.session.scalar(select(RoomSequence.last_seq).where(RoomSequence.room == room))
        return int(value or 0)

    async def replay(self, room: str, since: int | None) -> Replay:
        """Everything after `since`, in order; a resync when the client is further behind than we replay."""
        seq = await self.current_seq(room)
        if since is None or since >= seq:
            return Replay(seq=seq, events=[], resync=False)
        if seq - since > MAX_REPLAY:
            return Replay(seq=seq, events=[], resync=True)
        rows = (
            (
                await self.session.execute(
                    select(RoomEvent).where(RoomEvent.room == room, RoomEvent.seq > since).order_by(RoomEvent.seq)
                )
            )
            .scalars()
            .all()
        )
        return Replay(
            seq=seq,
            events=[{"type": row.type, "room": room, "seq": row.seq, **row.payload} for row in rows],
            resync=False,
        )
