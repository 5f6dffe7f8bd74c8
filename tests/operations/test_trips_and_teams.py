"""`/api/v1/me/trips` and `/api/v1/groups/{id}/team`: members of a group learn who looks after it."""

from __future__ import annotations

import httpx

from domains.assignments.schemas import AssignmentCreate
from domains.assignments.service import AssignmentService
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from tests.support.builders import TourGroup, a_person, a_tour_group, an_organization, bearer, sign_in


async def a_driver(hub: Hub, tour: TourGroup, name: str, phone: str, *, declined: bool = False) -> None:
    async with hub.unit_of_work(tour.org.id) as uow:
        staff = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id, StaffCreate(name=name, role="driver", phone=phone, email=f"{name.lower()}@drivers.example")
        )
        assignments = AssignmentService(uow.session, uow.bus)
        assignment, _ = await assignments.assign(
            tour.group.id,
            AssignmentCreate(
                staff_id=staff.id, role="driver", start_date=tour.group.start_date, end_date=tour.group.end_date
            ),
        )
        if declined:
            await assignments.respond(assignment.id, accept=False, by=None)


async def test_a_traveler_sees_her_trip_with_the_guide_and_driver_to_call(http: httpx.AsyncClient, hub: Hub) -> None:
    tour = await a_tour_group(hub)
    await a_driver(hub, tour, "Duarte", "+351912345678")
    await a_driver(hub, tour, "Rui", "+351936000000", declined=True)
    await a_tour_group(hub, "Porto Autumn", org=tour.org)  # Tom is not on it
    headers = bearer(await sign_in(http, tour.traveler))

    trips = (await http.get("/api/v1/me/trips", headers=headers)).json()

    assert [trip["group"]["name"] for trip in trips] == ["Lisbon Spring"]
    team = trips[0]["team"]
    assert [(m["name"], m["role"]) for m in team] == [("Ana", "guide"), ("Duarte", "driver")]  # Rui declined
    assert team[1]["phone"] == "+351912345678"
    assert team[1]["email"] == "duarte@drivers.example"


async def test_a_guide_lists_the_groups_she_works_and_the_office_lists_none(http: httpx.AsyncClient, hub: Hub) -> None:
    tour = await a_tour_group(hub)

    ana_trips = (await http.get("/api/v1/me/trips", headers=bearer(await sign_in(http, tour.guide)))).json()
    carla_trips = (await http.get("/api/v1/me/trips", headers=bearer(await sign_in(http, tour.coordinator)))).json()

    assert [trip["group"]["id"] for trip in ana_trips] == [str(tour.group.id)]
    assert carla_trips == []


async def test_a_team_is_shown_to_members_of_the_group_only(http: httpx.AsyncClient, hub: Hub) -> None:
    tour = await a_tour_group(hub)
    other = await a_tour_group(hub, "Porto Autumn", org=tour.org)
    elsewhere = await an_organization(hub, "Porto Trips")
    outsider = await a_person(hub, elsewhere, Role.ADMIN, "Olga")
    tom = bearer(await sign_in(http, tour.traveler))

    mine = await http.get(f"/api/v1/groups/{tour.group.id}/team", headers=tom)
    theirs = await http.get(f"/api/v1/groups/{other.group.id}/team", headers=tom)
    across = await http.get(f"/api/v1/groups/{tour.group.id}/team", headers=bearer(await sign_in(http, outsider)))
    office = await http.get(
        f"/api/v1/groups/{other.group.id}/team", headers=bearer(await sign_in(http, tour.coordinator))
    )

    assert mine.status_code == 200
    assert mine.json()["group"]["name"] == "Lisbon Spring"
    assert [m["name"] for m in mine.json()["team"]] == ["Ana"]
    assert theirs.status_code == 403
    assert across.status_code == 403
    assert office.status_code == 200  # the office sees every group of its organization
    assert (await http.get("/api/v1/groups/not-a-uuid/team", headers=tom)).status_code in (400, 404)


async def test_the_offices_notes_about_a_group_reach_its_staff_never_its_travelers(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    tour = await a_tour_group(hub)
    carla = bearer(await sign_in(http, tour.coordinator))
    notes = "Client paid late twice; Tom's wife needs a ground-floor room (knee surgery)"
    patched = await http.patch(f"/api/v1/groups/{tour.group.id}", json={"notes": notes}, headers=carla)
    assert patched.status_code == 200, patched.text
    tom = bearer(await sign_in(http, tour.traveler))
    ana = bearer(await sign_in(http, tour.guide))

    toms_trips = (await http.get("/api/v1/me/trips", headers=tom)).json()
    toms_team = (await http.get(f"/api/v1/groups/{tour.group.id}/team", headers=tom)).json()
    anas_trips = (await http.get("/api/v1/me/trips", headers=ana)).json()
    carlas_team = (await http.get(f"/api/v1/groups/{tour.group.id}/team", headers=carla)).json()

    assert toms_trips[0]["group"]["name"] == "Lisbon Spring"
    assert "notes" not in toms_trips[0]["group"]
    assert "notes" not in toms_team["group"]
    assert notes not in str(toms_trips) + str(toms_team)
    assert anas_trips[0]["group"]["notes"] == notes  # the guide works with the office's notes
    assert carlas_team["group"]["notes"] == notes
