"""What the recommender knows about a group: its plan, people, interests, and what similar groups booked."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.catalog.dietary import canonical_set
from domains.kernel.lookup import get_scoped
from domains.models import Group, Itinerary, ItineraryItem, Participant


@dataclass(frozen=True, slots=True)
class PlanItem:
    title: str
    kind: str
    place_name: str
    catalog_item_id: uuid.UUID | None

    @property
    def text(self) -> str:
        where = f" at {self.place_name}" if self.place_name and self.place_name != self.title else ""
        return f"{self.title}{where} ({self.kind})"


@dataclass(frozen=True, slots=True)
class CoBooked:
    weight: float  # 0..1, the strongest co-booked item has 1
    because_of: tuple[uuid.UUID, ...]  # items of this group's plan that those groups booked too


@dataclass
class GroupContext:
    group_id: uuid.UUID
    name: str
    cities: list[str]
    start_date: date
    end_date: date
    timezone: str
    size: int
    dietary: set[str]
    interests: list[str]
    plan: list[PlanItem]
    co_booked: dict[uuid.UUID, CoBooked] = field(default_factory=dict)

    @property
    def booked(self) -> set[uuid.UUID]:
        return {item.catalog_item_id for item in self.plan if item.catalog_item_id is not None}


async def load_group_context(session: AsyncSession, group_id: uuid.UUID) -> GroupContext:
    group = await get_scoped(session, Group, group_id, "group")
    diets = (await session.execute(select(Participant.dietary).where(Participant.group_id == group.id))).scalars()
    people = list(diets)
    plan_query = (
        select(ItineraryItem.title, ItineraryItem.kind, ItineraryItem.place, ItineraryItem.catalog_item_id)
        .join(Itinerary, Itinerary.id == ItineraryItem.itinerary_id)
        .where(Itinerary.group_id == group.id, ItineraryItem.removed.is_(False))
        .order_by(ItineraryItem.day, ItineraryItem.start_time)
    )
    plan = [
        PlanItem(title, kind, str((place or {}).get("name") or ""), catalog_item_id)
        for title, kind, place, catalog_item_id in (await session.execute(plan_query)).all()
    ]
    context = GroupContext(
        group_id=group.id,
        name=group.name,
        cities=list(group.cities),
        start_date=group.start_date,
        end_date=group.end_date,
        timezone=group.timezone,
        size=len(people),
        dietary=canonical_set(need for needs in people for need in needs),
        interests=list(group.interests),
        plan=plan,
    )
    context.co_booked = await co_booked(session, group.id, context.booked)
    return context


async def co_booked(session: AsyncSession, group_id: uuid.UUID, mine: set[uuid.UUID]) -> dict[uuid.UUID, CoBooked]:
    """Items booked by other groups whose itineraries share items with this one (item-item co-occurrence).

    Each other group votes for its items with the cosine of the two groups' booked sets, so a group that
    shares three of four items counts more than one that shares one of twenty.
    """
    if not mine:
        return {}
    linked = ItineraryItem.catalog_item_id.is_not(None) & ItineraryItem.removed.is_(False)
    sharing = (
        select(ItineraryItem.itinerary_id)
        .join(Itinerary, Itinerary.id == ItineraryItem.itinerary_id)
        .where(linked, ItineraryItem.catalog_item_id.in_(mine), Itinerary.group_id != group_id)
        .distinct()
    )
    rows = await session.execute(
        select(ItineraryItem.itinerary_id, ItineraryItem.catalog_item_id).where(
            linked, ItineraryItem.itinerary_id.in_(sharing)
        )
    )
    booked_by: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for itinerary_id, item_id in rows.all():
        if item_id is not None:
            booked_by[itinerary_id].add(item_id)
    votes: dict[uuid.UUID, float] = defaultdict(float)
    because: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for items in booked_by.values():
        shared = items & mine
        weight = len(shared) / math.sqrt(len(items) * len(mine))
        for item_id in items - mine:
            votes[item_id] += weight
            because[item_id] |= shared
    top = max(votes.values(), default=0.0)
    return {
        item_id: CoBooked(vote / top, tuple(sorted(because[item_id]))) for item_id, vote in votes.items() if top > 0
    }
