"""A room's ordered log: every event gets the room's next seq, is stored, and only then announced.

Chat and the itinerary both write here, so one `since` on rejoin catches a client up on both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.conversations.events import RoomEventRecorded
from domains.models import RoomEvent, RoomSequence
from hub.bus import EventBus

MAX_REPLAY = 200


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
        """Bump the room's counter; the UPDATE holds the row lock until commit, so seqs have no gaps."""
        bumped = await self.session.execute(
            update(RoomSequence)
            .where(RoomSequence.room == room)
            .values(last_seq=RoomSequence.last_seq + 1)
            .returning(RoomSequence.last_seq)
            .execution_options(synchronize_session=False)
        )
        value = bumped.scalar_one_or_none()
        if value is not None:
            return int(value)
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(RoomSequence).values(room=room, org_id=org_id, last_seq=1))
            return 1
        except IntegrityError:
            return await self.next_seq(org_id, room)

    def record(
        self,
        kind: type[RoomEventRecorded],
        org_id: uuid.UUID,
        author_id: uuid.UUID | None,
        room: str,
        seq: int,
        data: dict[str, Any],
    ) -> None:
        self.session.add(
            RoomEvent(org_id=org_id, room=room, seq=seq, type=kind.name, payload=data, author_id=author_id)
        )
        self.bus.publish(kind(org_id=str(org_id), audience=(room,), room=room, seq=seq, data=data))

    async def append(
        self,
        kind: type[RoomEventRecorded],
        org_id: uuid.UUID,
        author_id: uuid.UUID | None,
        room: str,
        data: dict[str, Any],
    ) -> int:
        seq = await self.next_seq(org_id, room)
        self.record(kind, org_id, author_id, room, seq, data)
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
        return Replay(seq=seq, events=[{"type": row.type, "seq": row.seq, **row.payload} for row in rows], resync=False)
