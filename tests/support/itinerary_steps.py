"""Shared steps for the itinerary tests: principals for domain calls, ops with fresh ids."""

from __future__ import annotations

import uuid
from typing import Any

from domains.itineraries.schemas import Applied, Op
from domains.itineraries.service import ItineraryService
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from realtime.schemas import decoded
from tests.support.builders import Person


def principal_of(person: Person) -> Principal:
    user = person.user
    return Principal(user_id=user.id, org_id=user.org_id, role=Role(user.role), session_id=uuid.uuid4())


def new_id() -> str:
    return str(uuid.uuid4())


def add(day: str, title: str, after: str | None = None, item_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "type": "add_item",
        "item_id": item_id or new_id(),
        "day": day,
        "after": after,
        "fields": {"title": title, **fields},
    }


async def apply(
    hub: Hub,
    person: Person,
    group_id: uuid.UUID,
    op: dict[str, Any],
    client_op_id: str | None = None,
    base_seq: int = 0,
) -> Applied:
    """The op as a client sends it: decoded the way the socket door decodes it, then applied."""
    principal = principal_of(person)
    async with hub.unit_of_work(principal.org_id) as uow:
        return await ItineraryService(uow.session, uow.bus).apply(
            principal, person.user.name, group_id, client_op_id or new_id(), base_seq, decoded(op, Op)
        )


async def snapshot(hub: Hub, person: Person, group_id: uuid.UUID, at_seq: int | None = None) -> Any:
    principal = principal_of(person)
    async with hub.unit_of_work(principal.org_id) as uow:
        return await ItineraryService(uow.session, uow.bus).snapshot(principal, group_id, at_seq)
