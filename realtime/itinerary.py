"""`itinerary:op`: a thin adapter over ItineraryService.apply; the broadcast follows the commit."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from domains.itineraries.service import ItineraryService, parse_uuid
from domains.kernel.errors import DomainError
from realtime.rooms import joined_room
from realtime.server import error_ack

if TYPE_CHECKING:
    from realtime.server import Ack, Connection, Realtime

Queues = dict[uuid.UUID, asyncio.Lock]


async def on_op(rt: Realtime, queues: Queues, connection: Connection, data: dict[str, Any]) -> Ack:
    """`{group_id, client_op_id, base_seq, op}` → `{seq, dropped, duplicate, warnings}`;
    a refused op answers `{ok: false, error, message, current}` with the room's current seq."""
    group_id = parse_uuid(data.get("group_id"), "group_id")
    joined_room(connection, {"room": f"group:{group_id}"})
    principal = connection.principal
    try:
        # The itinerary's row lock applies ops one at a time anyway; queueing them here first spares
        # SQLite's busy-wait back-off, and this process then broadcasts them in seq order.
        async with queues[group_id], rt.hub.unit_of_work(principal.org_id) as uow:
            applied = await ItineraryService(uow.session, uow.bus).apply(
                principal, connection.name, group_id, data.get("client_op_id"), data.get("base_seq"), data.get("op")
            )
    except DomainError as exc:
        async with rt.hub.unit_of_work(principal.org_id) as uow:
            current = await ItineraryService(uow.session, uow.bus).current_seq(group_id)
        return {**error_ack(exc), "current": current}
    return {
        "seq": applied.seq,
        "dropped": applied.dropped,
        "duplicate": applied.duplicate,
        "warnings": applied.warnings,
    }


def register(rt: Realtime) -> None:
    queues: Queues = defaultdict(asyncio.Lock)
    rt.on("itinerary:op", lambda connection, data: on_op(rt, queues, connection, data))
