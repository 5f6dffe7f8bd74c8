"""What a group still lacks: the dispatch board's badges and the reminders' content.

Computed for many groups at once with one query per kind of data, so a board of 200 groups
costs a handful of queries, not hundreds.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import Assignment, Flight, FlightPassenger, Group, Participant, RoomingList, Voucher

AREAS = ("guide", "driver", "coordinator", "vouchers", "rooming_list", "flights", "contacts")
CRITICAL, NORMAL = "critical", "normal"
STAFF_ROLES = ("guide", "driver", "coordinator")


@dataclass(frozen=True, slots=True)
class MissingItem:
    area: str
    severity: str
    message: str

    def view(self) -> dict[str, str]:
        return {"area": self.area, "severity": self.severity, "message": self.message}


def area_status(items: list[MissingItem]) -> dict[str, str]:
    """Per area: `ok`, or the worst severity of what is missing there."""
    status = dict.fromkeys(AREAS, "ok")
    for item in items:
        if status[item.area] != CRITICAL:
            status[item.area] = item.severity
    return status


async def missing_for(session: AsyncSession, groups: Sequence[Group]) -> dict[uuid.UUID, list[MissingItem]]:
    ids = [group.id for group in groups]
    if not ids:
        return {}
    roles: dict[uuid.UUID, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for group_id, role, status in (
        await session.execute(
            select(Assignment.group_id, Assignment.role, Assignment.status).where(
                Assignment.group_id.in_(ids), Assignment.status != "declined", Assignment.is_primary.is_(True)
            )
        )
    ).all():
        roles[group_id][role].add(status)
    people: dict[uuid.UUID, list[tuple[uuid.UUID, str, bool]]] = defaultdict(list)
    for participant_id, group_id, name, email, phone in (
        await session.execute(
            select(Participant.id, Participant.group_id, Participant.name, Participant.email, Participant.phone).where(
                Participant.group_id.in_(ids)
            )
        )
    ).all():
        people[group_id].append((participant_id, name, bool(email or phone)))
    vouchers: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
    for group_id, kind, status in (
        await session.execute(
            select(Voucher.group_id, Voucher.type, Voucher.status).where(
                Voucher.group_id.in_(ids), Voucher.status != "cancelled"
            )
        )
    ).all():
        vouchers[group_id].append((kind, status))
    rooming = set((await session.execute(select(RoomingList.group_id).where(RoomingList.group_id.in_(ids)))).scalars())
    flying = set(
        (
            await session.execute(
                select(FlightPassenger.participant_id)
                .join(Flight, Flight.id == FlightPassenger.flight_id)
                .where(Flight.group_id.in_(ids))
            )
        ).scalars()
    )
    return {
        group.id: _items(roles[group.id], people[group.id], vouchers[group.id], group.id in rooming, flying)
        for group in groups
    }


def _items(
    roles: dict[str, set[str]],
    people: list[tuple[uuid.UUID, str, bool]],
    vouchers: list[tuple[str, str]],
    has_rooming_list: bool,
    flying: set[uuid.UUID],
) -> list[MissingItem]:
    items: list[MissingItem] = []
    for role in STAFF_ROLES:
        if not roles.get(role):
            items.append(MissingItem(role, CRITICAL, f"no {role} assigned"))
        elif "confirmed" not in roles[role]:
            items.append(MissingItem(role, NORMAL, f"the {role} has not confirmed yet"))
    if not vouchers:
        items.append(MissingItem("vouchers", NORMAL, "no vouchers issued"))
    unconfirmed = sum(1 for _, status in vouchers if status == "created")
    if unconfirmed:
        items.append(MissingItem("vouchers", NORMAL, f"{unconfirmed} voucher(s) not confirmed by the supplier"))
    if any(kind == "hotel" for kind, _ in vouchers) and not has_rooming_list:
        items.append(MissingItem("rooming_list", NORMAL, "the hotel has no rooming list"))
    elif not has_rooming_list and people:
        items.append(MissingItem("rooming_list", NORMAL, "no rooming list"))
    without_flight = [name for participant_id, name, _ in people if participant_id not in flying]
    if without_flight:
        items.append(MissingItem("flights", NORMAL, f"{len(without_flight)} participant(s) without flight data"))
    unreachable = [name for _, name, reachable in people if not reachable]
    if unreachable:
        items.append(MissingItem("contacts", NORMAL, f"no email or phone for {', '.join(sorted(unreachable)[:5])}"))
    return items
