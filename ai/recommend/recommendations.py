"""Recommendations for a group: `await recommend_for_group(indexes, org_id, group_id, kind=..., k=...)`.

Score = cosine similarity of the item to the group's taste (its itinerary items and stated interests)
+ `CO_BOOKED_WEIGHT` × how strongly groups that booked the same things also booked the item − a distance
penalty with `near`. Filters: city (the group's cities by default), season (the given date, else the
travel dates), open hours (`on_date` / `at_time`), dietary needs (restaurants must cover every need of
the group's travelers), group size, price per person, and nothing already on the itinerary. The top
candidates are diversified with MMR. See docs/ai.md "Recommendations".
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import numpy as np

from ai.encoder import Encoder
from ai.recommend.catalog_table import city_key
from ai.recommend.group_context import GroupContext, load_group_context
from ai.recommend.index import CatalogIndexes, OrgCatalog
from ai.recommend.ranking import RankQuery, rank
from ai.recommend.reasons import Source, reason
from domains.catalog.schemas import KINDS
from domains.kernel.errors import Invalid

MAX_K = 50
PLAN_WEIGHT, INTEREST_WEIGHT = 0.6, 0.4
# Plan items that say what the group likes (not transfers, flights or hotel check-ins), and their noun.
TASTE_KINDS = {"visit": "visit", "meal": "meal", "free": "", "note": ""}
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


class Recommendation(msgspec.Struct):
    item_id: str
    name: str
    kind: str
    city: str
    score: float
    reason: str
    price: Decimal
    currency: str
    price_per: str
    distance_km: float | None = None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a group saved with an unknown zone still gets recommendations


def parse_time(value: str | time | None) -> int | None:
    """Minutes after midnight of "HH:MM" (or a time), or a clear error."""
    if value is None or isinstance(value, time):
        return None if value is None else value.hour * 60 + value.minute
    match = _TIME.match(value.strip())
    if not match:
        raise Invalid("time must be HH:MM (24-hour), like 20:30")
    return int(match[1]) * 60 + int(match[2])


def _check(kind: str | None, k: int, max_price: float | None, near: tuple[float, float] | None) -> None:
    if kind is not None and kind not in KINDS:
        raise Invalid(f"kind must be one of: {', '.join(KINDS)}")
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}")
    if max_price is not None and max_price < 0:
        raise Invalid("max_price must not be negative")
    if near is not None and not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
        raise Invalid("near must be a latitude between -90 and 90 and a longitude between -180 and 180")


async def taste(encoder: Encoder, catalog: OrgCatalog, context: GroupContext) -> tuple[np.ndarray, list[Source]]:
    """The group's query vector, and the labelled vectors it is made of (for the reasons)."""
    plan = [item for item in context.plan if item.kind in TASTE_KINDS]
    texts = [item.text for item in plan] + list(context.interests)
    if not texts:
        texts = [f"popular sights, tours and good food in {' and '.join(context.cities) or 'town'}"]
    vectors = await encoder.aencode(texts)  # worker thread; repeated texts come from its cache
    sources: list[Source] = []
    for row, item in enumerate(plan):
        position = catalog.position_of(item.catalog_item_id) if item.catalog_item_id else None
        vector = catalog.vectors[position] if position is not None else vectors[row]
        noun = TASTE_KINDS[item.kind]
        label = f"the {item.title}{' ' + noun if noun else ''} on your itinerary"
        sources.append(Source(label, vector, item.title))
    sources += [Source(f"your interest in {text}", vectors[len(plan) + n]) for n, text in enumerate(context.interests)]
    parts = []
    if plan:
        parts.append(PLAN_WEIGHT * np.mean([s.vector for s in sources[: len(plan)]], axis=0))
    if context.interests:
        parts.append(INTEREST_WEIGHT * np.mean([s.vector for s in sources[len(plan) :]], axis=0))
    query = np.sum(parts, axis=0) if parts else vectors[0]
    return (query / max(float(np.linalg.norm(query)), 1e-9)).astype(np.float32), sources


def linked_sources(catalog: OrgCatalog, context: GroupContext, sources: list[Source]) -> dict[uuid.UUID, Source]:
    """Plan items booked from the catalog, by catalog id (including hotels, which are not part of the taste)."""
    by_title = {source.title: source for source in sources if source.title}
    linked = {}
    for item in context.plan:
        if item.catalog_item_id is None:
            continue
        position = catalog.position_of(item.catalog_item_id)
        source = by_title.get(item.title)
        if source is None and position is not None:
            source = Source(item.title, catalog.vectors[position], item.title)
        if source is not None:
            linked[item.catalog_item_id] = source
    return linked


def build_query(
    catalog: OrgCatalog,
    context: GroupContext,
    vector: np.ndarray,
    *,
    kind: str | None,
    k: int,
    city: str | None,
    on_date: date | None,
    minute: int | None,
    near: tuple[float, float] | None,
    max_price: float | None,
) -> RankQuery:
    cities = [city] if city else context.cities
    codes = [catalog.vocabulary.cities.get(city_key(name), -1) for name in cities] if cities else None
    days = (on_date.toordinal(),) * 2 if on_date else (context.start_date.toordinal(), context.end_date.toordinal())
    booked = [p for p in (catalog.position_of(item_id) for item_id in context.booked) if p is not None]
    boosted = [(catalog.position_of(item_id), co.weight) for item_id, co in context.co_booked.items()]
    boosted = [(p, w) for p, w in boosted if p is not None]
    return RankQuery(
        vector=vector,
        k=k,
        kind=KINDS.index(kind) if kind else None,
        cities=codes,
        days=(int(days[0]), int(days[1])),
        weekday=on_date.weekday() if on_date else None,
        minute=minute,
        diet_mask=catalog.vocabulary.diet_mask(sorted(context.dietary), grow=False),
        group_size=max(1, context.size),
        max_price=max_price,
        exclude=np.asarray(booked, np.int64),
        boost_positions=np.asarray([p for p, _ in boosted], np.int64),
        boost_weights=np.asarray([w for _, w in boosted], np.float32),
        near=near,
    )


async def recommend_for_group(
    indexes: CatalogIndexes,
    org_id: uuid.UUID,
    group_id: uuid.UUID,
    *,
    kind: str | None = None,
    k: int = 10,
    city: str | None = None,
    on_date: date | None = None,
    at_time: str | time | None = None,
    near: tuple[float, float] | None = None,
    max_price: float | None = None,
) -> list[Recommendation]:
    """Up to `k` catalog items for the group, best first, each with a one-line reason.

    `at_time` ("HH:MM", the group's local time) without `on_date` means today where the group is.
    `near` = (lat, lng) keeps items within 3 km and prefers the closer ones. `max_price` is per person.
    `indexes` are the process's catalog indexes (the hub they belong to reads the group and tells the time).
    """
    _check(kind, k, max_price, near)
    hub = indexes.hub
    minute = parse_time(at_time)
    async with hub.unit_of_work(org_id) as uow:
        context = await load_group_context(uow.session, group_id)
    if minute is not None and on_date is None:
        on_date = hub.clock().astimezone(_zone(context.timezone)).date()
    catalog = await indexes.get(org_id)
    vector, sources = await taste(indexes.encoder, catalog, context)
    query = build_query(
        catalog,
        context,
        vector,
        kind=kind,
        k=k,
        city=city,
        on_date=on_date,
        minute=minute,
        near=near,
        max_price=max_price,
    )
    ranked = rank(catalog, query)
    linked = linked_sources(catalog, context, sources)
    found = []
    for position, score, distance in zip(ranked.positions, ranked.scores, ranked.distance_km, strict=True):
        record = catalog.records[position]
        line = reason(
            record,
            catalog.vectors[position],
            sources,
            context.co_booked.get(record.id),
            linked,
            dietary=context.dietary,
            weekday=query.weekday,
            minute=minute,
            distance_km=None if np.isnan(distance) else float(distance),
        )
        found.append(
            Recommendation(
                item_id=str(record.id),
                name=record.name,
                kind=record.kind,
                city=record.city,
                score=round(float(score), 4),
                reason=line,
                price=record.price,
                currency=record.currency,
                price_per=record.price_per,
                distance_km=None if np.isnan(distance) else round(float(distance), 2),
            )
        )
    return found
