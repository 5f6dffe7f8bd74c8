"""The catalog as the recommender reads it: one record per item and numpy columns for every filter.

Positions are shared with the vector index (`ai.recommend.index`): row `p` of every column, `records[p]` and
vector `p` describe the same item. Filters are whole-column numpy expressions, so a query over 100k
items costs a few vectorized passes and never a Python loop per item.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from domains.catalog.dietary import canonical
from domains.catalog.schemas import KINDS, WEEKDAYS
from domains.models import CatalogItem

DAY_MINUTES = 24 * 60
MAX_RANGES = 3  # opening ranges kept per weekday (lunch and dinner, plus one spare)
NEVER = np.int16(32_767)  # start of an unused range: no minute of the day reaches it
NO_LIMIT = np.int32(2**31 - 1)
DIET_BITS = 63  # bit 63 is never set on an item: an unknown need can never be met


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """What ranking and reasons need of one item, detached from the database session."""

    id: uuid.UUID
    kind: str
    name: str
    city: str
    address: str
    lat: float | None
    lng: float | None
    description: str
    tags: tuple[str, ...]
    price: Decimal
    currency: str
    price_per: str
    min_group_size: int
    max_group_size: int | None
    dietary: tuple[str, ...]
    open_hours: dict[str, list[str]]
    available_from: date | None
    available_until: date | None
    active: bool

    @classmethod
    def of(cls, row: CatalogItem) -> ItemRecord:
        return cls(
            id=row.id,
            kind=row.kind,
            name=row.name,
            city=row.city,
            address=row.address,
            lat=row.lat,
            lng=row.lng,
            description=row.description,
            tags=tuple(row.tags),
            price=row.price,
            currency=row.currency,
            price_per=row.price_per,
            min_group_size=row.min_group_size,
            max_group_size=row.max_group_size,
            dietary=tuple(canonical(diet) for diet in row.dietary_options),
            open_hours={day: list(ranges) for day, ranges in row.open_hours.items()},
            available_from=row.available_from,
            available_until=row.available_until,
            active=row.active,
        )

    @property
    def embedding_text(self) -> str:
        """What the item is about: name, kind, city, tags and description (not prices or hours)."""
        tags = ", ".join(self.tags)
        return f"{self.name}. {self.kind} in {self.city}. {tags}. {self.description}".strip()

    @property
    def text_hash(self) -> str:
        return hashlib.blake2b(self.embedding_text.encode(), digest_size=16).hexdigest()


def city_key(city: str) -> str:
    return " ".join(city.lower().split())


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


class Vocabulary:
    """Codes for cities and bits for dietary options, grown as items arrive."""

    def __init__(self) -> None:
        self.cities: dict[str, int] = {}
        self.diets: dict[str, int] = {}

    def city(self, name: str) -> int:
        return self.cities.setdefault(city_key(name), len(self.cities))

    def diet_mask(self, diets: Iterable[str], *, grow: bool) -> int:
        """Bits of these needs or options; with `grow` False an unknown need sets the never-met bit."""
        mask = 0
        for diet in diets:
            bit = self.diets.get(diet)
            if bit is None and grow and len(self.diets) < DIET_BITS:
                bit = self.diets[diet] = len(self.diets)
            mask |= 1 << (bit if bit is not None else DIET_BITS)
        return mask


class Columns:
    """Filter columns for every position. Built once per load; single rows are replaced or appended."""

    def __init__(self, size: int = 0) -> None:
        self.kind = np.full(size, -1, np.int8)
        self.city = np.full(size, -1, np.int32)
        self.price = np.zeros(size, np.float64)
        self.per_group = np.zeros(size, bool)
        self.min_group = np.ones(size, np.int32)
        self.max_group = np.full(size, NO_LIMIT, np.int32)
        self.diets = np.zeros(size, np.uint64)
        self.season_from = np.zeros(size, np.int32)
        self.season_until = np.full(size, NO_LIMIT, np.int32)
        self.has_hours = np.zeros(size, bool)
        # Weekday-major (7, ranges, items): one weekday's ranges are contiguous rows for fast filtering.
        self.open_start = np.full((7, MAX_RANGES, size), NEVER, np.int16)
        # Ends past midnight are stored as minutes after the day's start (up to 48:00).
        self.open_end = np.zeros((7, MAX_RANGES, size), np.int16)
        self.lat = np.full(size, np.nan)
        self.lng = np.full(size, np.nan)
        self.alive = np.zeros(size, bool)

    NAMES = (
        *("kind", "city", "price", "per_group", "min_group", "max_group", "diets", "season_from", "season_until"),
        *("has_hours", "open_start", "open_end", "lat", "lng", "alive"),
    )

    def __len__(self) -> int:
        return len(self.kind)

    def grow(self, extra: int) -> None:
        more = Columns(extra)
        for name in self.NAMES:  # items are always the last axis
            setattr(self, name, np.concatenate([getattr(self, name), getattr(more, name)], axis=-1))

    def set(self, position: int, item: ItemRecord, vocabulary: Vocabulary) -> None:
        p = position
        self.kind[p] = KINDS.index(item.kind) if item.kind in KINDS else -1
        self.city[p] = vocabulary.city(item.city)
        self.price[p] = float(item.price)
        self.per_group[p] = item.price_per == "group"
        self.min_group[p] = item.min_group_size
        self.max_group[p] = item.max_group_size if item.max_group_size is not None else NO_LIMIT
        self.diets[p] = np.uint64(vocabulary.diet_mask(item.dietary, grow=True))
        self.season_from[p] = item.available_from.toordinal() if item.available_from else 0
        self.season_until[p] = item.available_until.toordinal() if item.available_until else NO_LIMIT
        self.has_hours[p] = bool(item.open_hours)
        self.open_start[:, :, p], self.open_end[:, :, p] = NEVER, 0
        for day, ranges in item.open_hours.items():
            if day not in WEEKDAYS:
                continue
            for slot, hours_range in enumerate(ranges[:MAX_RANGES]):
                start, end = (minutes(part) for part in hours_range.split("-"))
                self.open_start[WEEKDAYS.index(day), slot, p] = start
                self.open_end[WEEKDAYS.index(day), slot, p] = end if end > start else end + DAY_MINUTES
        self.lat[p] = item.lat if item.lat is not None else np.nan
        self.lng[p] = item.lng if item.lng is not None else np.nan
        self.alive[p] = item.active


def open_at(columns: Columns, rows: np.ndarray, weekday: int, minute: int | None) -> np.ndarray:
    """For these rows: open at `minute` of `weekday` (0 = Monday), or at some time that day if minute is None.

    Items without hours are available by arrangement and always pass.
    """
    starts, ends = columns.open_start[weekday][:, rows], columns.open_end[weekday][:, rows]
    by_arrangement = ~columns.has_hours[rows]
    if minute is None:
        some_time: np.ndarray = by_arrangement | (starts != NEVER).any(axis=0)
        return some_time
    today = ((starts <= minute) & (minute < ends)).any(axis=0)
    # A range of yesterday that runs past midnight (a bar open 19:00-02:00) covers early hours today.
    spill = (columns.open_end[(weekday - 1) % 7][:, rows] > minute + DAY_MINUTES).any(axis=0)
    now: np.ndarray = by_arrangement | today | spill
    return now


def closing_time(item: ItemRecord, weekday: int, minute: int) -> str | None:
    """When the range open at this minute ends ("23:00"), for the reason line."""
    for offset, day_minute in ((0, minute), (-1, minute + DAY_MINUTES)):
        for hours_range in item.open_hours.get(WEEKDAYS[(weekday + offset) % 7], []):
            start, end = (minutes(part) for part in hours_range.split("-"))
            end = end if end > start else end + DAY_MINUTES
            if start <= day_minute < end:
                return f"{end % DAY_MINUTES // 60:02d}:{end % 60:02d}"
    return None


def haversine_km(lat: np.ndarray, lng: np.ndarray, at: Sequence[float]) -> np.ndarray:
    lat1, lng1 = np.radians(at[0]), np.radians(at[1])
    lat2, lng2 = np.radians(lat), np.radians(lng)
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    distance: np.ndarray = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance
