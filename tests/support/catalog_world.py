"""Builders for recommendation stories: a small Lisbon catalog, plans linked to it, travelers with diets."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from domains.catalog.schemas import CatalogItemCreate
from domains.catalog.service import CatalogService
from domains.groups.schemas import GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.itineraries.schemas import Op
from domains.itineraries.service import ItineraryService
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from domains.models import CatalogItem, Group, Organization
from tests.support.builders import Person

EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def daily(*ranges: str) -> dict[str, list[str]]:
    return {day: list(ranges) for day in EVERY_DAY}


def an_item(kind: str, name: str, city: str = "Lisbon", **fields: Any) -> CatalogItemCreate:
    fields.setdefault("price", Decimal("25"))
    return CatalogItemCreate(kind=kind, name=name, city=city, **fields)  # type: ignore[arg-type]


LISBON = [
    an_item(
        "tour",
        "Belém Monuments Walking Tour",
        description="Guided walk past the Jerónimos Monastery, Belém Tower and the Discoveries monument",
        tags=["history", "monuments", "architecture"],
        lat=38.6970,
        lng=-9.2060,
    ),
    an_item(
        "activity",
        "National Tile Museum visit",
        description="Five centuries of Portuguese azulejo tiles in a former convent",
        tags=["museum", "art", "history"],
        lat=38.7247,
        lng=-9.1135,
        open_hours={day: ["10:00-18:00"] for day in ("tue", "wed", "thu", "fri", "sat", "sun")},
    ),
    an_item(
        "activity",
        "Fado night in Alfama",
        description="Traditional fado singers in a small Alfama house, with a glass of wine",
        tags=["music", "fado", "nightlife"],
        lat=38.7115,
        lng=-9.1300,
        open_hours=daily("20:00-23:30"),
    ),
    an_item(
        "restaurant",
        "Ao 26 Vegan Food Project",
        description="Creative vegan Portuguese cooking in Chiado",
        tags=["vegan", "portuguese"],
        dietary_options=["vegan", "vegetarian", "gluten-free"],
        open_hours=daily("12:00-15:00", "19:00-23:00"),
        lat=38.7100,
        lng=-9.1420,
    ),
    an_item(
        "restaurant",
        "Cervejaria Ramiro",
        description="Famous seafood beer hall: prawns, clams, crab and a steak sandwich",
        tags=["seafood", "portuguese"],
        dietary_options=["gluten-free"],
        open_hours=daily("12:00-00:30"),
        lat=38.7206,
        lng=-9.1357,
    ),
    an_item(
        "restaurant",
        "Time Out Market Lisboa",
        description="Food hall with stalls of the city's best chefs",
        tags=["food hall", "portuguese", "international"],
        dietary_options=["vegan", "vegetarian", "gluten-free", "halal"],
        open_hours=daily("10:00-23:59"),
        lat=38.7069,
        lng=-9.1459,
    ),
    an_item(
        "restaurant",
        "Tasca do Chico",
        description="Tiny fado tavern in Bairro Alto with petiscos",
        tags=["fado", "tavern", "portuguese"],
        dietary_options=["vegetarian"],
        open_hours=daily("19:00-02:00"),
        max_group_size=6,
        lat=38.7125,
        lng=-9.1445,
    ),
    an_item(
        "activity",
        "Tagus sunset sailing",
        description="Two hours on a sailing boat under the 25 de Abril bridge at sunset",
        tags=["boat", "sunset", "river"],
        available_from=date(2027, 6, 1),
        available_until=date(2027, 9, 30),
        lat=38.6930,
        lng=-9.1780,
    ),
    an_item(
        "tour",
        "Private tuk-tuk tour of the seven hills",
        description="Electric tuk-tuk ride through Alfama, Graça and the viewpoints",
        tags=["viewpoints", "private"],
        price=Decimal("180"),
        price_per="group",
        max_group_size=6,
    ),
    an_item(
        "tour",
        "Gourmet food and wine tasting tour",
        description="Cheeses, cured ham, wines and pastries in downtown Lisbon",
        tags=["food", "wine", "tasting"],
        price=Decimal("95"),
    ),
    an_item("tour", "Livraria Lello and Ribeira walk", city="Porto", tags=["books", "history"]),
    an_item("activity", "Port wine cellar visit", city="Porto", tags=["wine", "tasting"]),
    an_item("hotel", "Hotel Avenida Palace", description="Classic hotel by Rossio", tags=["central", "classic"]),
]


async def a_catalog(hub: Hub, org: Organization, items: list[CatalogItemCreate] = LISBON) -> dict[str, CatalogItem]:
    async with hub.unit_of_work(org.id) as uow:
        service = CatalogService(uow.session, uow.bus)
        return {item.name: await service.add_item(org.id, item) for item in items}


async def a_group(
    hub: Hub,
    org: Organization,
    name: str,
    *,
    cities: list[str] | None = None,
    travelers: list[list[str]] | None = None,
    interests: list[str] | None = None,
    start: date = date(2027, 4, 12),
    end: date = date(2027, 4, 16),
) -> Group:
    async with hub.unit_of_work(org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        group = await groups.create_group(
            org.id,
            GroupCreate(
                name=name,
                start_date=start,
                end_date=end,
                cities=cities or ["Lisbon"],
                interests=interests or [],
                timezone="Europe/Lisbon",
            ),
        )
        for n, dietary in enumerate(travelers or [[]]):
            await groups.add_participant(group.id, ParticipantCreate(name=f"Traveler {n + 1}", dietary=dietary))
        return group


async def a_plan(hub: Hub, group: Group, author: Person, *entries: tuple[str, str, CatalogItem | None]) -> None:
    """Itinerary items (kind, title, linked catalog item) on the group's first day, added by a coordinator."""
    editor = Principal(user_id=author.user.id, org_id=group.org_id, role=Role.COORDINATOR, session_id=uuid.uuid4())
    async with hub.unit_of_work(group.org_id) as uow:
        service = ItineraryService(uow.session, uow.bus)
        for kind, title, linked in entries:
            fields: dict[str, Any] = {"kind": kind, "title": title}
            if linked is not None:
                fields["catalog_item_id"] = str(linked.id)
            op = {
                "type": "add_item",
                "item_id": str(uuid.uuid4()),
                "day": group.start_date.isoformat(),
                "fields": fields,
            }
            await service.apply(editor, "Carla", group.id, str(uuid.uuid4()), 0, msgspec.convert(op, Op))
