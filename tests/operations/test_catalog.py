"""The catalog over HTTP: office staff keep it, field staff read it, travelers and partners do not."""

from __future__ import annotations

import uuid

import httpx
import msgspec
import pytest

from domains.catalog.schemas import CatalogItemCreate
from domains.catalog.service import CatalogService
from domains.itineraries.schemas import Op
from domains.itineraries.service import ItineraryService
from domains.kernel.errors import Invalid, NotFound
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from tests.support.builders import a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.catalog_world import a_catalog, a_group

FADO = {
    "kind": "activity",
    "name": "Fado night in Alfama",
    "city": "Lisbon",
    "tags": ["Music", "fado", "music"],
    "price": 35.5,
    "dietary_options": ["Vegetarian", "nut allergy"],
    "open_hours": {"fri": ["20:00-23:30"], "sat": ["20:00-01:00"]},
    "max_group_size": 20,
}


async def test_a_coordinator_keeps_the_catalog_and_a_guide_reads_it(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    carla = bearer(await sign_in(http, await a_person(hub, org, Role.COORDINATOR, "Carla")))
    ana = bearer(await sign_in(http, await a_person(hub, org, Role.GUIDE, "Ana")))

    created = await http.post("/api/v1/catalog", json=FADO, headers=carla)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["tags"] == ["music", "fado"]
    assert item["dietary_options"] == ["vegetarian", "nut-free"]
    assert item["price"] == 35.5
    await http.post("/api/v1/catalog", json={"kind": "tour", "name": "Douro cruise", "city": "Porto"}, headers=carla)

    page = (await http.get("/api/v1/catalog", params={"city": "lisbon"}, headers=ana)).json()
    assert [i["name"] for i in page["items"]] == ["Fado night in Alfama"] and page["total"] == 1
    tours = (await http.get("/api/v1/catalog", params={"kind": "tour", "limit": 1}, headers=ana)).json()
    assert [i["name"] for i in tours["items"]] == ["Douro cruise"]

    changed = await http.patch(f"/api/v1/catalog/{item['id']}", json={"price": 40, "lat": None}, headers=carla)
    assert changed.status_code == 200 and changed.json()["price"] == 40
    assert (await http.patch(f"/api/v1/catalog/{item['id']}", json={"name": "x"}, headers=ana)).status_code == 403

    assert (await http.delete(f"/api/v1/catalog/{item['id']}", headers=carla)).status_code == 204
    assert (await http.delete(f"/api/v1/catalog/{item['id']}", headers=carla)).status_code == 409
    listed = (await http.get("/api/v1/catalog", params={"city": "Lisbon"}, headers=ana)).json()
    assert listed["total"] == 0
    retired = (await http.get("/api/v1/catalog", params={"include_retired": "true"}, headers=ana)).json()
    assert {i["name"]: i["active"] for i in retired["items"]}["Fado night in Alfama"] is False


async def test_travelers_partners_and_other_organizations_are_kept_out(http: httpx.AsyncClient, hub: Hub) -> None:
    org = await an_organization(hub)
    items = await a_catalog(hub, org)
    item_id = next(iter(items.values())).id
    tom = bearer(await sign_in(http, await a_person(hub, org, Role.TRAVELER, "Tom")))
    partner = bearer(await sign_in(http, await a_person(hub, org, Role.PARTNER, "Hotel")))
    elsewhere = bearer(await sign_in(http, await a_person(hub, await an_organization(hub), Role.ADMIN, "Eve")))

    assert (await http.get("/api/v1/catalog", headers=tom)).status_code == 403
    assert (await http.post("/api/v1/catalog", json=FADO, headers=partner)).status_code == 403
    assert (await http.get(f"/api/v1/catalog/{item_id}", headers=elsewhere)).status_code == 404
    assert (await http.get("/api/v1/catalog", headers=elsewhere)).json()["total"] == 0


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"kind": "spa"}, 400),
        ({"open_hours": {"mon": ["25:00-26:00"]}}, 400),
        ({"open_hours": {"mon": ["10:00-10:00"]}}, 422),
        ({"min_group_size": 10, "max_group_size": 4}, 422),
        ({"available_from": "2027-09-01", "available_until": "2027-06-01"}, 422),
        ({"lat": 38.7}, 422),
        ({"price": -1}, 400),
        ({"price": 1_000_001}, 400),
        ({"price": "NaN"}, 400),
        ({"price": "35.50"}, 400),  # a string is not a price
        ({"min_group_size": "4"}, 400),  # nor a number
        ({"name": "   "}, 422),
    ],
)
async def test_bad_items_are_refused_with_a_reason(
    http: httpx.AsyncClient, hub: Hub, change: dict[str, object], status: int
) -> None:
    org = await an_organization(hub)
    carla = bearer(await sign_in(http, await a_person(hub, org, Role.COORDINATOR, "Carla")))
    response = await http.post("/api/v1/catalog", json=FADO | change, headers=carla)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


async def test_a_coordinator_states_the_groups_interests(http: httpx.AsyncClient, hub: Hub) -> None:
    trip = await a_tour_group(hub)
    carla = bearer(await sign_in(http, trip.coordinator))

    response = await http.patch(
        f"/api/v1/groups/{trip.group.id}", json={"interests": ["Wine", " street  art ", "wine"]}, headers=carla
    )

    assert response.status_code == 200, response.text
    assert response.json()["interests"] == ["wine", "street art"]
    assert (await http.get(f"/api/v1/groups/{trip.group.id}", headers=carla)).json()["interests"] == [
        "wine",
        "street art",
    ]
    bad = await http.patch(f"/api/v1/groups/{trip.group.id}", json={"end_date": "2020-01-01"}, headers=carla)
    assert bad.status_code == 422


async def test_an_itinerary_item_links_only_to_a_live_item_of_the_same_organization(hub: Hub) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    ours = await a_catalog(hub, org)
    theirs = await a_catalog(hub, await an_organization(hub), [CatalogItemCreate(kind="tour", name="X", city="Y")])
    group = await a_group(hub, org, "Linked")
    editor = Principal(user_id=carla.user.id, org_id=org.id, role=Role.COORDINATOR, session_id=uuid.uuid4())
    belem = ours["Belém Monuments Walking Tour"]

    async def add(catalog_item_id: uuid.UUID) -> None:
        op = {
            "type": "add_item",
            "item_id": str(uuid.uuid4()),
            "day": group.start_date.isoformat(),
            "fields": {"kind": "visit", "title": "Walk", "catalog_item_id": str(catalog_item_id)},
        }
        async with hub.unit_of_work(org.id) as uow:
            await ItineraryService(uow.session, uow.bus).apply(
                editor, "Carla", group.id, str(uuid.uuid4()), 0, msgspec.convert(op, Op)
            )

    await add(belem.id)
    async with hub.unit_of_work(org.id) as uow:
        snapshot = await ItineraryService(uow.session, uow.bus).snapshot(editor, group.id)
    assert snapshot.items[0].catalog_item_id == str(belem.id)

    with pytest.raises(NotFound):
        await add(theirs["X"].id)
    async with hub.unit_of_work(org.id) as uow:
        await CatalogService(uow.session, uow.bus).retire_item(ours["Fado night in Alfama"].id)
    with pytest.raises(Invalid, match="retired"):
        await add(ours["Fado night in Alfama"].id)
