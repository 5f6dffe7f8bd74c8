"""Entity extraction for tour-operator messages (English and Spanish).

``extract(text, now, tz, catalog)`` returns non-overlapping entities with normalised values;
see docs/entities.md for every type, its value format and the decisions behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from ai.nlu.entities.base import Entity
from ai.nlu.entities.catalog import Catalog, CatalogEntry
from ai.nlu.entities.counts import find_counts
from ai.nlu.entities.dates import find_dates
from ai.nlu.entities.ids import find_ids
from ai.nlu.entities.lexicon import find_lexicon
from ai.nlu.entities.times import find_times

__all__ = ["ENTITY_TYPES", "Catalog", "CatalogEntry", "Entity", "extract", "local_today"]

# Earlier types win overlaps: an id is never re-read as a phone or a count, a venue called
# 'Restaurant Two Two' is not a head count, and a clock time's digits are not people.
ENTITY_TYPES: tuple[str, ...] = (
    "email",
    "booking_ref",
    "group_number",
    "flight_number",
    "phone",
    "place",
    "time",
    "date",
    "duration_nights",
    "people_count",
    "dietary",
    "language",
)
_PRIORITY = {name: rank for rank, name in enumerate(ENTITY_TYPES)}
# 'at 8 tonight' is both a time and a date; these pairs may share characters.
_MAY_OVERLAP = frozenset({frozenset({"date", "time"})})

CatalogLike = Catalog | Iterable[CatalogEntry | Mapping[str, Any] | Any]


def extract(
    text: str,
    now: dt.datetime | str,
    tz: str | dt.tzinfo,
    catalog: CatalogLike | None = None,
    *,
    phone_region: str = "US",
    day_first: bool = True,
) -> list[Entity]:
    """Find entities in ``text``; relative dates are resolved against ``now`` as seen in ``tz``.

    A naive ``now`` is taken as wall-clock time in ``tz``; an aware one is converted to it.
    ``phone_region`` is the ISO country used for numbers written without '+country code'.
    ``day_first`` reads '03/04/2026' as 3 April (set False for US month-first input).
    """
    today = local_today(now, tz)
    candidates: list[Entity] = []
    candidates.extend(find_ids(text, phone_region))
    candidates.extend(find_times(text))
    candidates.extend(find_dates(text, today, day_first))
    candidates.extend(find_counts(text))
    candidates.extend(find_lexicon(text))
    if catalog is not None:
        candidates.extend(_as_catalog(catalog).find(text))
    return resolve_overlaps(candidates)


def local_today(now: dt.datetime | str, tz: str | dt.tzinfo) -> dt.date:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    moment = dt.datetime.fromisoformat(now) if isinstance(now, str) else now
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.date()


def resolve_overlaps(candidates: Sequence[Entity]) -> list[Entity]:
    """Keep the best candidate wherever spans collide: type priority first, then the longer span."""
    ranked = sorted(candidates, key=lambda e: (_PRIORITY[e.type], -(e.end - e.start), e.start))
    kept: list[Entity] = []
    for cand in ranked:
        clash = any(
            cand.start < k.end
            and k.start < cand.end
            and (cand.type == k.type or frozenset({cand.type, k.type}) not in _MAY_OVERLAP)
            for k in kept
        )
        if not clash:
            kept.append(cand)
    return sorted(kept, key=lambda e: (e.start, e.end))


def _as_catalog(catalog: CatalogLike) -> Catalog:
    # A plain iterable is indexed on every call: callers that ask often build a `Catalog` once (the assistant does).
    return catalog if isinstance(catalog, Catalog) else Catalog(catalog)
