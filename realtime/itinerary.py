"""`itinerary:op`: a thin adapter over ItineraryService.apply; the broadcast follows the commit."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import Any

import msgspec

from domains.itineraries.service import ItineraryService
from domains.kernel.rooms import group_room
from realtime.connections import Ack, Connection
from realtime.schemas import ApplyOp
from realtime.server import Realtime

Queues = dict[uuid.UUID, asyncio.Lock]


async def on_op(rt: Realtime, queues: Queues, connection: Connection, request: ApplyOp) -> Ack:
    """`{group_id, client_op_id, base_seq, op}` → `{seq, dropped, duplicate, warnings}`."""
    connection.joined(group_room(request.group_id))
    # The itinerary's row lock applies ops one at a time anyway; queueing them here first spares
    # SQLite's busy-wait back-off, and this process then broadcasts them in seq order.
    async with queues[request.group_id], rt.hub.unit_of_work(connection.principal.org_id) as uow:
        applied = await ItineraryService(uow.session, uow.bus).apply(
            connection.principal, connection.name, request.group_id, request.client_op_id, request.base_seq, request.op
        )
    return {
        "seq": applied.seq,
        "dropped": applied.dropped,
        "duplicate": applied.duplicate,
        "warnings": msgspec.to_builtins(applied.warnings),
    }


async def with_current_seq(rt: Realtime, connection: Connection, data: dict[str, Any], refusal: Ack) -> Ack:
    """A refused op, in a room the client joined, answers `{ok: false, error, message, current}` with the
    room's current seq, so the client knows where the room stands."""
    try:
        group_id = uuid.UUID(str(data.get("group_id")))
    except ValueError:
        return refusal
    if group_room(group_id) not in connection.rooms:
        return refusal
    async with rt.hub.unit_of_work(connection.principal.org_id) as uow:
        current = await ItineraryService(uow.session, uow.bus).current_seq(group_id)
    return {**refusal, "current": current}


def register(rt: Realtime) -> None:
    queues: Queues = defaultdict(asyncio.Lock)
    rt.on(
        "itinerary:op",
        lambda connection, request: on_op(rt, queues, connection, request),
        ApplyOp,
        refused=lambda connection, data, refusal: with_current_seq(rt, connection, data, refusal),
    )
