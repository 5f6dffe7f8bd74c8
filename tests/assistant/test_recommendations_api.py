"""`GET /api/v1/groups/{id}/recommendations` over real HTTP: who may ask, and what bad parameters get."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.catalog_world import a_catalog


def url(group_id: object) -> str:
    return f"/api/v1/groups/{group_id}/recommendations"


async def test_the_group_and_its_staff_get_ranked_items_with_reasons(http: httpx.AsyncClient, hub: Hub) -> None:
    trip = await a_tour_group(hub)
    await a_catalog(hub, trip.org)
    carla = bearer(await sign_in(http, trip.coordinator))
    await http.patch(f"/api/v1/groups/{trip.group.id}", json={"interests": ["seafood"]}, headers=carla)

    for person in (trip.coordinator, trip.guide, trip.traveler):
        response = await http.get(
            url(trip.group.id), params={"kind": "restaurant", "k": "2"}, headers=bearer(await sign_in(http, person))
        )
        assert response.status_code == 200, response.text
        found = response.json()
        assert len(found) == 2 and found[0]["name"] == "Cervejaria Ramiro"
        assert found[0]["reason"].startswith("Matches your interest in seafood")
        assert set(found[0]) >= {"item_id", "name", "kind", "city", "score", "reason"}
        assert (Decimal(found[0]["price"]), found[0]["currency"], found[0]["price_per"]) == (25, "EUR", "person")

    tonight = await http.get(
        url(trip.group.id), params={"kind": "restaurant", "date": "2027-04-13", "time": "01:00"}, headers=carla
    )
    assert [r["name"] for r in tonight.json()] == ["Tasca do Chico"]


async def test_other_travelers_partners_and_other_organizations_are_refused(http: httpx.AsyncClient, hub: Hub) -> None:
    trip = await a_tour_group(hub)
    other_trip = await a_tour_group(hub, "Porto Autumn", org=trip.org)
    await a_catalog(hub, trip.org)
    partner = await a_person(hub, trip.org, Role.PARTNER, "Hotel Avenida")
    stranger = await a_person(hub, await an_organization(hub, "Porto Trips"), Role.ADMIN, "Eve")
    unassigned_guide = await a_person(hub, trip.org, Role.GUIDE, "Gil")

    async def status(person) -> int:  # type: ignore[no-untyped-def]
        return (await http.get(url(trip.group.id), headers=bearer(await sign_in(http, person)))).status_code

    assert await status(other_trip.traveler) == 403
    assert await status(partner) == 403
    assert await status(unassigned_guide) == 403
    assert await status(stranger) == 404
    assert (await http.get(url(trip.group.id))).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"k": "many"},
        {"k": "0"},
        {"k": "51"},
        {"kind": "spa"},
        {"date": "2027-13-01"},
        {"time": "25:00"},
        {"time": "8pm"},
        {"max_price": "-5"},
        {"max_price": "cheap"},
        {"near": "38.7"},
        {"near": "91,0"},
    ],
)
async def test_bad_parameters_are_422_with_a_message(http: httpx.AsyncClient, hub: Hub, params: dict[str, str]) -> None:
    trip = await a_tour_group(hub)
    response = await http.get(url(trip.group.id), params=params, headers=bearer(await sign_in(http, trip.coordinator)))
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
