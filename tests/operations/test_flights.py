"""Carla, the coordinator, books 'Lisbon Spring' onto flight AZ611 from Rome to New York and prints the manifest."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from domains.flights.service import normalize_flight_number
from domains.groups.schemas import GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.bus import capture_events
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Participant
from tests.support.builders import TourGroup, a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub

ROME_TO_NEW_YORK: dict[str, Any] = {
    "airline": "ITA Airways",
    "flight_number": "az 611",
    "departure_airport": "fco",
    "arrival_airport": "JFK",
    "departure_local": "2027-04-10T10:15:00",
    "departure_timezone": "Europe/Rome",
    "arrival_local": "2027-04-10T13:45:00",
    "arrival_timezone": "America/New_York",
    "departure_terminal": "t3",
}


@dataclass
class FlyingGroup:
    tour: TourGroup
    carla: dict[str, str]
    maria: Participant
    joao: Participant
    tom_id: str

    @property
    def flights(self) -> str:
        return f"/api/v1/groups/{self.tour.group.id}/flights"


async def a_flying_group(hub: Hub, http: httpx.AsyncClient) -> FlyingGroup:
    tour = await a_tour_group(hub)
    async with hub.unit_of_work(tour.org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        maria = await groups.add_participant(
            tour.group.id,
            ParticipantCreate(
                name="Maria Rossi",
                passport_number="YA7654321",
                dietary=["vegetarian"],
                special_needs="wheelchair to the gate",
            ),
        )
        joao = await groups.add_participant(tour.group.id, ParticipantCreate(name="João Silva"))
        tom = next(p for p in await groups.list_participants(tour.group.id) if p.name == "Tom")
    return FlyingGroup(tour, bearer(await sign_in(http, tour.coordinator)), maria, joao, str(tom.id))


async def test_a_coordinator_adds_the_groups_flight_with_local_times_in_two_timezones(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    lisbon = await a_flying_group(hub, http)

    with capture_events(server.hub.subscribers) as events:
        response = await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)

    assert response.status_code == 201, response.text
    flight = response.json()
    assert flight["flight_number"] == "AZ611" and flight["departure_airport"] == "FCO"
    # 10:15 in Rome (CEST, +2) and 13:45 in New York (EDT, -4) are 08:15 and 17:45 UTC: 9 h 30 in the air.
    assert flight["departure_utc"] == "2027-04-10T08:15:00Z"
    assert flight["arrival_utc"] == "2027-04-10T17:45:00Z"
    assert flight["duration_minutes"] == 570
    assert (flight["departure_local"], flight["departure_timezone"]) == ("2027-04-10T10:15:00", "Europe/Rome")
    assert (flight["arrival_local"], flight["arrival_timezone"]) == ("2027-04-10T13:45:00", "America/New_York")
    assert flight["departure_terminal"] == "T3"
    listed = (await http.get(lisbon.flights, headers=lisbon.carla)).json()
    assert [f["id"] for f in listed] == [flight["id"]]
    [added] = [event for event in events if event.name == "flight.added"]
    assert added.audience == (f"group:{lisbon.tour.group.id}", "board:dispatch")
    assert added.payload()["flight_number"] == "AZ611"


async def test_a_gate_change_is_a_flight_change_and_is_checked_again(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    lisbon = await a_flying_group(hub, http)
    flight = (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)).json()
    url = f"/api/v1/flights/{flight['id']}"

    with capture_events(server.hub.subscribers) as events:
        changed = await http.patch(url, json={"departure_gate": "b12"}, headers=lisbon.carla)
        same_again = await http.patch(url, json={"departure_gate": "B12"}, headers=lisbon.carla)
        too_early = await http.patch(url, json={"arrival_local": "2027-04-10T04:00:00"}, headers=lisbon.carla)

    assert changed.status_code == 200 and changed.json()["departure_gate"] == "B12"
    assert same_again.status_code == 200
    assert too_early.status_code == 422 and "arrival_local" in too_early.json()["detail"]
    assert [(e.name, e.payload()["changed"]) for e in events] == [("flight.changed", ("departure_gate",))]
    assert (await http.get(url, headers=lisbon.carla)).json()["arrival_local"] == "2027-04-10T13:45:00"


BAD_FLIGHTS: list[tuple[dict[str, str], str]] = [
    ({"flight_number": "12345"}, "flight_number"),  # a two-digit airline code does not exist
    ({"flight_number": "AZA611"}, "flight_number"),  # ICAO's 3-letter code, not IATA's
    ({"flight_number": "AZ12345"}, "flight_number"),
    ({"flight_number": "AZ"}, "flight_number"),
    ({"flight_number": "A!611"}, "flight_number"),
    ({"departure_airport": "ROMA"}, "departure_airport"),
    ({"arrival_airport": "FCO"}, "arrival_airport"),
    ({"departure_timezone": "Europe/Atlantis"}, "departure_timezone"),
    # 02:30 does not exist in Rome on 28 March 2027: the clocks jump from 02:00 to 03:00.
    ({"departure_local": "2027-03-28T02:30:00", "arrival_local": "2027-03-28T09:00:00"}, "departure_local"),
    # Local times look fine (13:45 after 10:15) but 10:15 in New York is after 13:45 in Rome.
    ({"departure_timezone": "America/New_York", "arrival_timezone": "Europe/Rome"}, "arrival_local"),
    ({"departure_local": "2027-04-10T10:15:00+05:00"}, "departure_local"),
    ({"arrival_local": "2027-05-10T13:45:00"}, "arrival_local"),  # a month in the air: a typo
    ({"departure_local": "0001-01-01T00:00:00", "departure_timezone": "Asia/Tokyo"}, "departure_local"),
]


async def test_bad_flight_numbers_and_arrival_before_departure_are_422_with_field_messages(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon = await a_flying_group(hub, http)

    for changes, field in BAD_FLIGHTS:
        response = await http.post(lisbon.flights, json=ROME_TO_NEW_YORK | changes, headers=lisbon.carla)

        assert response.status_code == 422, (changes, response.text)
        assert response.json()["detail"].startswith(f"{field}: "), (changes, response.text)
    assert (await http.get(lisbon.flights, headers=lisbon.carla)).json() == []


async def test_every_wrong_field_is_named_at_once(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_flying_group(hub, http)
    body = ROME_TO_NEW_YORK | {"flight_number": "99", "arrival_airport": "J", "arrival_local": "2027-04-10T01:00:00"}

    detail = (await http.post(lisbon.flights, json=body, headers=lisbon.carla)).json()["detail"]

    assert "flight_number: " in detail and "arrival_airport: " in detail and "arrival_local: " in detail


async def test_passengers_board_once_and_the_manifest_masks_passports(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    lisbon = await a_flying_group(hub, http)
    flight = (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)).json()
    passengers = f"/api/v1/flights/{flight['id']}/passengers"
    async with hub.unit_of_work(lisbon.tour.org.id) as uow:
        other_group = await GroupService(uow.session, uow.bus).create_group(
            lisbon.tour.org.id,
            GroupCreate(name="Porto Autumn", start_date=date(2027, 4, 10), end_date=date(2027, 4, 12)),
        )
        stranger = await GroupService(uow.session, uow.bus).add_participant(
            other_group.id, ParticipantCreate(name="Sam Stranger")
        )

    with capture_events(server.hub.subscribers) as events:
        maria = await http.post(
            passengers,
            json={"participant_id": str(lisbon.maria.id), "seat": "12a", "booking_reference": "abc123"},
            headers=lisbon.carla,
        )
        again = await http.post(passengers, json={"participant_id": str(lisbon.maria.id)}, headers=lisbon.carla)
        seat_taken = await http.post(
            passengers, json={"participant_id": str(lisbon.joao.id), "seat": "12A"}, headers=lisbon.carla
        )
        outsider = await http.post(passengers, json={"participant_id": str(stranger.id)}, headers=lisbon.carla)
        bad_seat = await http.post(
            passengers, json={"participant_id": str(lisbon.joao.id), "seat": "aisle"}, headers=lisbon.carla
        )
        joao = await http.post(passengers, json={"participant_id": str(lisbon.joao.id)}, headers=lisbon.carla)

    assert maria.status_code == 201, maria.text
    assert (maria.json()["seat"], maria.json()["booking_reference"]) == ("12A", "ABC123")
    assert again.status_code == 409 and "already a passenger" in again.json()["detail"]
    assert seat_taken.status_code == 409 and "Maria Rossi" in seat_taken.json()["detail"]
    assert outsider.status_code == 422 and "belongs to another group" in outsider.json()["detail"]
    assert bad_seat.status_code == 422 and bad_seat.json()["detail"].startswith("seat: ")
    assert joao.status_code == 201
    assert [e.name for e in events] == ["flight.passenger_added", "flight.passenger_added"]

    response = await http.get(f"/api/v1/groups/{lisbon.tour.group.id}/manifest", headers=lisbon.carla)

    assert response.status_code == 200
    manifest = response.json()
    assert "YA7654321" not in response.text and "7654321" not in response.text
    [on_az611] = manifest["flights"]
    assert on_az611["flight"]["flight_number"] == "AZ611"
    assert on_az611["passengers"] == [
        {
            "participant_id": str(lisbon.joao.id),
            "name": "João Silva",
            "passport": None,
            "dietary": [],
            "special_needs": "",
            "seat": None,
            "booking_reference": None,
        },
        {
            "participant_id": str(lisbon.maria.id),
            "name": "Maria Rossi",
            "passport": "•••••4321",
            "dietary": ["vegetarian"],
            "special_needs": "wheelchair to the gate",
            "seat": "12A",
            "booking_reference": "ABC123",
        },
    ]
    assert [person["name"] for person in manifest["without_flight"]] == ["Tom"]


async def test_two_coordinators_board_the_same_traveler_at_once_and_one_wins(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_flying_group(hub, http)
    flight = (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)).json()
    body = {"participant_id": lisbon.tom_id}

    answers = await asyncio.gather(
        *(http.post(f"/api/v1/flights/{flight['id']}/passengers", json=body, headers=lisbon.carla) for _ in range(4))
    )

    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409]


async def test_another_organizations_flights_are_not_found(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_flying_group(hub, http)
    flight = (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)).json()
    porto = await an_organization(hub, "Porto Trips")
    pedro = bearer(await sign_in(http, await a_person(hub, porto, Role.COORDINATOR, "Pedro")))
    group = lisbon.tour.group.id

    assert (await http.get(lisbon.flights, headers=pedro)).status_code == 404
    assert (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=pedro)).status_code == 404
    assert (await http.get(f"/api/v1/groups/{group}/manifest", headers=pedro)).status_code == 404
    assert (await http.get(f"/api/v1/flights/{flight['id']}", headers=pedro)).status_code == 404
    assert (await http.patch(f"/api/v1/flights/{flight['id']}", json={}, headers=pedro)).status_code == 404
    boarding = await http.post(
        f"/api/v1/flights/{flight['id']}/passengers", json={"participant_id": lisbon.tom_id}, headers=pedro
    )
    assert boarding.status_code == 404


async def test_travelers_and_guides_cannot_see_the_manifest(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await a_flying_group(hub, http)
    manifest = f"/api/v1/groups/{lisbon.tour.group.id}/manifest"
    for person in (lisbon.tour.traveler, lisbon.tour.guide):
        assert (await http.get(manifest, headers=bearer(await sign_in(http, person)))).status_code == 403


def test_flight_numbers_are_normalized_to_the_iata_form() -> None:
    assert normalize_flight_number("az 611") == "AZ611"
    assert normalize_flight_number("AZ0611") == "AZ611"
    assert normalize_flight_number("u2-1234") == "U21234"
    assert normalize_flight_number("9W 100a") == "9W100A"
    for bad in ("99 100", "AZ 0", "AZ 61111", "AZA611", ""):
        with pytest.raises(ValueError, match="not a flight number"):
            normalize_flight_number(bad)


async def test_the_dispatch_board_and_the_group_room_hear_about_flights_and_rooming_lists_live(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    lisbon = await a_flying_group(hub, http)
    dana = await a_person(hub, lisbon.tour.org, Role.DISPATCHER, "Dana")
    board, room = LiveClient("dana"), LiveClient("ana")
    try:
        await board.connect(server.url, (await sign_in(http, dana))["access_token"])
        await room.connect(server.url, (await sign_in(http, lisbon.tour.guide))["access_token"])
        assert (await board.join("board:dispatch"))["ok"] and (await room.join(lisbon.tour.room))["ok"]

        flight = (await http.post(lisbon.flights, json=ROME_TO_NEW_YORK, headers=lisbon.carla)).json()
        hotel = await http.post(
            f"/api/v1/groups/{lisbon.tour.group.id}/rooming-lists",
            json={"hotel_name": "Hotel Avenida"},
            headers=lisbon.carla,
        )

        heard = await room.wait_for("flight:added", lambda data: data["flight_id"] == flight["id"])
        assert heard["flight_number"] == "AZ611" and heard["group_id"] == str(lisbon.tour.group.id)
        await room.wait_for("rooming_list:updated", lambda data: data["rooming_list_id"] == hotel.json()["id"])
        # The board hears every change as a "board:update" naming the domain event.
        await board.wait_for("board:update", lambda data: data["event"] == "flight.added")
        await board.wait_for("board:update", lambda data: data["event"] == "rooming_list.updated")
    finally:
        await board.close()
        await room.close()
