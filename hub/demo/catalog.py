"""The demo catalog (hub/demo/catalog.json), the demo groups' interests, and past groups that booked from it.

Idempotent like the rest of the demo: items are matched by city and name, groups by name, itinerary ops by
their client op ids. Prices, opening hours, group sizes and seasons are derived from each item's kind and
tags with a stable hash, so every run writes the same values. Tours also come as a private version
(priced per group, up to 8 people). Past groups' itineraries link to catalog items, which is what the
recommender's "groups who booked this also booked" reads.
"""

from __future__ import annotations

import json
import uuid
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import select

from domains.catalog.schemas import CatalogItemCreate
from domains.catalog.service import CatalogService
from domains.groups.schemas import GroupCreate, GroupUpdate, ParticipantCreate
from domains.groups.service import GroupService
from domains.itineraries.schemas import Op
from domains.itineraries.service import ItineraryService
from domains.kernel.security import Principal
from domains.kernel.unit_of_work import UnitOfWork
from domains.models import CatalogItem, Group, Itinerary, ItineraryItem

DATA = Path(__file__).with_name("catalog.json")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INTERESTS = {
    "Lisbon Spring Highlights": ["history", "fado", "pastries", "viewpoints"],
    "Porto & Douro Wine Week": ["port wine", "vineyards", "river cruise", "food"],
    "Sintra Day Escape": ["palaces", "gardens", "hiking"],
    "Algarve Coast Families": ["beaches", "boat trips", "family activities"],
    "Madrid Art Weekend": ["art museums", "tapas", "flamenco"],
}
# (name, days ago it started, length, cities, interests, travelers' diets, catalog items booked in order)
PAST_GROUPS: list[tuple[str, int, int, list[str], list[str], list[list[str]], list[str]]] = [
    (
        "Lisbon Autumn Classics",
        60,
        4,
        ["Lisbon", "Sintra"],
        ["history", "palaces"],
        [["vegetarian"], [], []],
        [
            "Jerónimos Monastery",
            "Belém Tower",
            "Pastéis de Belém",
            "Fado in Chiado show",
            "Pena Palace",
            "Quinta da Regaleira",
            "Tascantiga",
        ],
    ),
    (
        "Lisbon Food Lovers",
        35,
        3,
        ["Lisbon"],
        ["food", "wine"],
        [[], ["gluten-free"]],
        [
            "Lisbon food and wine walk",
            "Time Out Market Lisboa",
            "Pastéis de Belém",
            "Cervejaria Ramiro",
            "Fado and dinner night tour",
            "Pastry class: pastéis de nata",
        ],
    ),
    (
        "Belém and Sintra in a Week",
        20,
        5,
        ["Lisbon", "Sintra"],
        ["history", "gardens"],
        [[], [], ["vegan"]],
        [
            "Jerónimos Monastery",
            "Belém monuments guided tour",
            "Pastéis de Belém",
            "Pena Palace",
            "Monserrate Palace",
            "Alfama and Mouraria walking tour",
            "Ao 26 Vegan Food Project",
        ],
    ),
    (
        "Madrid and Barcelona Art Week",
        45,
        5,
        ["Madrid", "Barcelona"],
        ["art museums", "architecture"],
        [[], []],
        [
            "Prado Museum",
            "Museo Reina Sofía",
            "Mercado de San Miguel",
            "Sagrada Família",
            "Picasso Museum",
            "Casa Batlló",
            "Cal Pep",
        ],
    ),
]


def _stable(text: str, modulo: int) -> int:
    return zlib.crc32(text.encode()) % modulo


def _hours(kind: str, tags: set[str], name: str) -> dict[str, list[str]]:
    if kind == "hotel" or (tags & {"viewpoint", "free", "beach", "park"} and kind == "activity"):
        return {}
    if tags & {"fado", "flamenco", "cabaret", "opera", "evening", "bar", "jazz"}:
        ranges = ["19:30-00:30"] if kind == "restaurant" else ["20:00-23:30"]
    elif tags & {"cafe", "pastry", "gelato", "churros", "food hall", "market", "street food"}:
        ranges = ["08:00-20:00"] if "food hall" not in tags else ["10:00-23:30"]
    elif "lunch" in tags:
        ranges = ["12:00-15:30"]
    elif kind == "restaurant":
        ranges = ["12:30-15:00", "19:30-23:00"]
    elif kind == "tour":
        ranges = ["09:00-18:00"]
    else:
        ranges = ["10:00-18:00"] if "sunset" not in tags else ["17:00-21:30"]
    closed = "mon" if (kind == "restaurant" and _stable(name, 3) == 0) or "museum" in tags else None
    return {day: list(ranges) for day in WEEK if day != closed}


def items_of(data: dict[str, Any], today: date) -> list[CatalogItemCreate]:
    """Every demo item, tours twice (shared and private), with derived prices, hours and seasons."""
    season_year = today.year if today.month < 10 else today.year + 1
    items = []
    for city, rows in data.items():
        if city.startswith("_"):
            continue
        for kind, name, lat, lng, raw_tags, description in rows:
            tags = [tag for tag in raw_tags if not tag.startswith("+")]
            diets = [tag[1:] for tag in raw_tags if tag.startswith("+")]
            tagset = set(tags)
            spread = _stable(name, 100)
            price = {"restaurant": 15 + spread // 2, "tour": 25 + spread, "hotel": 90 + 3 * spread}.get(
                kind, spread // 4
            )
            seasonal = bool(tagset & {"boat", "beach", "sailing", "kayaking", "opera", "dolphins"})
            common: dict[str, Any] = {
                "kind": kind,
                "city": city,
                "lat": lat,
                "lng": lng,
                "tags": tags,
                "dietary_options": diets,
                "open_hours": _hours(kind, tagset, name),
                "available_from": date(season_year, 5, 1) if seasonal else None,
                "available_until": date(season_year, 10, 15) if seasonal else None,
                "duration_minutes": {"tour": 180, "activity": 90, "restaurant": 90}.get(kind),
                "max_group_size": 8 if tagset & {"tavern", "counter", "private"} else 40 if kind != "hotel" else None,
            }
            items.append(CatalogItemCreate(name=name, description=description, price=price, **common))
            if kind == "tour" and "private" not in tagset:
                items.append(
                    CatalogItemCreate(
                        name=f"{name} (private)",
                        description=f"{description}. Just your group, at the time you choose",
                        price=150 + 2 * spread,
                        price_per="group",
                        **common | {"tags": [*tags, "private"], "max_group_size": 8},
                    )
                )
    return items


async def seed_catalog(uow: UnitOfWork, org_id: uuid.UUID, today: date) -> int:
    """Add the demo items that are not there yet; returns how many were added."""
    rows = await uow.session.execute(select(CatalogItem.city, CatalogItem.name))
    existing = {(city, name) for city, name in rows.all()}
    service = CatalogService(uow.session, uow.bus)
    added = 0
    for item in items_of(json.loads(DATA.read_text(encoding="utf-8")), today):
        if (item.city, item.name) not in existing:
            await service.add_item(org_id, item)
            added += 1
    return added


async def seed_interests_and_history(uow: UnitOfWork, org_id: uuid.UUID, today: date, author: Principal) -> None:
    """Interests for the demo week's groups, links from their plans to the catalog, and past groups."""
    session, bus = uow.session, uow.bus
    groups = GroupService(session, bus)
    catalog = {name: item for name, item in (await session.execute(select(CatalogItem.name, CatalogItem))).all()}
    by_name = {group.name: group for group in (await session.execute(select(Group))).scalars()}
    for name, interests in INTERESTS.items():
        group = by_name.get(name)
        if group is not None and not group.interests:
            await groups.update_group(group.id, GroupUpdate(interests=interests))
    itineraries = ItineraryService(session, bus)
    planned = await session.execute(
        select(Itinerary.group_id, ItineraryItem.id, ItineraryItem.title, ItineraryItem.place)
        .join(Itinerary, Itinerary.id == ItineraryItem.itinerary_id)
        .where(ItineraryItem.catalog_item_id.is_(None), ItineraryItem.removed.is_(False))
    )
    for group_id, item_id, title, place in planned.all():
        match = catalog.get(title) or catalog.get(str((place or {}).get("name", "")))
        if match is not None:
            op = {"type": "set_fields", "item_id": str(item_id), "fields": {"catalog_item_id": str(match.id)}}
            await itineraries.apply(
                author, "Carla Coordinator", group_id, f"demo-link:{item_id}", 0, msgspec.convert(op, Op)
            )
    for name, ago, days, cities, interests, diets, booked in PAST_GROUPS:
        if name in by_name:
            continue
        start = today - timedelta(days=ago)
        group = await groups.create_group(
            org_id,
            GroupCreate(
                name=name,
                start_date=start,
                end_date=start + timedelta(days=days - 1),
                timezone="Europe/Lisbon",
                cities=cities,
                interests=interests,
            ),
        )
        for status in ("planning", "ready", "in_progress", "completed"):
            await groups.change_status(group.id, status)
        for n, dietary in enumerate(diets):
            await groups.add_participant(
                group.id, ParticipantCreate(name=f"{name.split()[0]} traveler {n + 1}", dietary=dietary)
            )
        for n, item_name in enumerate(booked):
            item = catalog[item_name]
            item_id = uuid.uuid5(group.id, item_name)
            fields = {
                "kind": {"restaurant": "meal", "hotel": "hotel"}.get(item.kind, "visit"),
                "title": item.name,
                "place": {"name": item.name, "address": item.address, "lat": item.lat, "lon": item.lng},
                "catalog_item_id": str(item.id),
                "status": "done",
            }
            day = start + timedelta(days=min(days - 1, n * days // len(booked)))
            op = {"type": "add_item", "item_id": str(item_id), "day": day.isoformat(), "fields": fields}
            await itineraries.apply(
                author, "Carla Coordinator", group.id, f"demo:{item_id}", 0, msgspec.convert(op, Op)
            )
