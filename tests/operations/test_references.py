"""Every id in a request body names a row of the caller's organization (and group, where it has one).

Lisbon Tours and Porto Trips share the hub. Carla, Lisbon's coordinator, learns Porto's ids (a voucher id
on a forwarded email, a staff id in a screenshot): none of them is accepted in Lisbon's bodies. Another
organization's row is "not found" (404, its existence is not confirmed); another of Lisbon's own groups'
row is a 422 naming the mix-up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from domains.kernel.errors import Invalid, NotFound
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.staff.schemas import StaffCreate
from domains.staff.service import StaffService
from tests.support.builders import TourGroup, a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.itinerary_steps import add, apply, snapshot

HOTEL_STAY = {
    "type": "hotel",
    "check_in": "2027-04-10",
    "check_out": "2027-04-14",
    "rooms": [{"type": "double", "count": 6}],
}
DINNER = {"type": "restaurant", "date": "2027-04-11", "time": "20:00", "meal_type": "dinner", "guest_count": 12}
FLIGHT = {
    "airline": "TAP Air Portugal",
    "flight_number": "TP 1234",
    "departure_airport": "OPO",
    "arrival_airport": "LIS",
    "departure_local": "2027-04-10T09:00:00",
    "departure_timezone": "Europe/Lisbon",
    "arrival_local": "2027-04-10T10:00:00",
    "arrival_timezone": "Europe/Lisbon",
}


@dataclass
class Office:
    """One organization's group, what its coordinator made for it, and her bearer headers."""

    tour: TourGroup
    headers: dict[str, str]
    voucher_id: str
    flight_id: str
    staff_id: str
    participant_id: str
    partner_id: str
    rooming_list_id: str

    @property
    def group(self) -> str:
        return f"/api/v1/groups/{self.tour.group.id}"


async def created(http: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> str:
    response = await http.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def an_office(hub: Hub, http: httpx.AsyncClient, org_name: str, group_name: str) -> Office:
    tour = await a_tour_group(hub, group_name, org=await an_organization(hub, org_name))
    headers = bearer(await sign_in(http, tour.coordinator))
    group = f"/api/v1/groups/{tour.group.id}"
    async with hub.unit_of_work(tour.org.id) as uow:
        driver = await StaffService(uow.session, uow.bus).add_staff(
            tour.org.id, StaffCreate(name=f"Driver of {org_name}", role="driver")
        )
    partner_id = await created(http, "/api/v1/partners", {"name": f"{org_name} Hotel", "kind": "hotel"}, headers)
    participant_id = await created(http, f"{group}/participants", {"name": "Maria"}, headers)
    return Office(
        tour=tour,
        headers=headers,
        voucher_id=await created(http, f"{group}/vouchers", HOTEL_STAY, headers),
        flight_id=await created(http, f"{group}/flights", FLIGHT, headers),
        staff_id=str(driver.id),
        participant_id=participant_id,
        partner_id=partner_id,
        rooming_list_id=await created(http, f"{group}/rooming-lists", {"hotel_name": "Hotel Avenida"}, headers),
    )


async def test_a_rooming_list_takes_only_a_hotel_voucher_of_its_own_group(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await an_office(hub, http, "Lisbon Tours", "Lisbon Spring")
    porto = await an_office(hub, http, "Porto Trips", "Douro Valley")
    carla, lists = lisbon.headers, f"{lisbon.group}/rooming-lists"
    autumn = await a_tour_group(hub, "Lisbon Autumn", org=lisbon.tour.org)
    autumn_voucher = await created(http, f"/api/v1/groups/{autumn.group.id}/vouchers", HOTEL_STAY, carla)
    dinner = await created(http, f"{lisbon.group}/vouchers", DINNER, carla)

    async def a_list(voucher_id: str) -> httpx.Response:
        return await http.post(lists, json={"hotel_name": "Avenida", "voucher_id": voucher_id}, headers=carla)

    porto_voucher = await a_list(porto.voucher_id)
    other_group = await a_list(autumn_voucher)
    a_dinner = await a_list(dinner)
    unknown = await a_list(str(uuid.uuid4()))
    own = await a_list(lisbon.voucher_id)

    assert (porto_voucher.status_code, porto_voucher.json()["detail"]) == (404, "voucher not found")
    assert unknown.status_code == 404
    assert other_group.status_code == 422 and "another group" in other_group.json()["detail"]
    assert a_dinner.status_code == 422 and "hotel" in a_dinner.json()["detail"]
    assert own.status_code == 201 and own.json()["voucher_id"] == lisbon.voucher_id

    listing = f"/api/v1/rooming-lists/{own.json()['id']}"
    patched = await http.patch(listing, json={"voucher_id": porto.voucher_id}, headers=carla)
    assert (patched.status_code, patched.json()["detail"]) == (404, "voucher not found")
    assert (await http.get(listing, headers=carla)).json()["voucher_id"] == lisbon.voucher_id
    unlinked = await http.patch(listing, json={"voucher_id": None}, headers=carla)
    assert unlinked.status_code == 200 and unlinked.json()["voucher_id"] is None


@pytest.mark.parametrize(
    ("field", "value_of"),
    [
        ("staff_ids", lambda office: [office.staff_id]),
        ("voucher_id", lambda office: office.voucher_id),
        ("flight_id", lambda office: office.flight_id),
    ],
)
async def test_an_itinerary_item_links_only_to_its_own_organizations_staff_vouchers_and_flights(
    hub: Hub, http: httpx.AsyncClient, field: str, value_of: Any
) -> None:
    lisbon = await an_office(hub, http, "Lisbon Tours", "Lisbon Spring")
    porto = await an_office(hub, http, "Porto Trips", "Douro Valley")
    gid, carla = lisbon.tour.group.id, lisbon.tour.coordinator
    theirs = add("2027-04-11", "Transfer to the hotel", **{field: value_of(porto)})
    ours = add("2027-04-11", "Transfer to the hotel", **{field: value_of(lisbon)})

    with pytest.raises(NotFound, match="not found"):
        await apply(hub, carla, gid, theirs)
    item = await apply(hub, carla, gid, ours)
    with pytest.raises(NotFound, match="not found"):
        change = {"type": "set_fields", "item_id": ours["item_id"], "fields": {field: value_of(porto)}}
        await apply(hub, carla, gid, change)

    [saved] = (await snapshot(hub, carla, gid)).items
    assert item.seq == 1 and getattr(saved, field) == value_of(lisbon)


async def test_an_itinerary_item_links_only_to_a_voucher_and_flight_of_its_own_group(
    hub: Hub, http: httpx.AsyncClient
) -> None:
    spring = await an_office(hub, http, "Lisbon Tours", "Lisbon Spring")
    autumn = await a_tour_group(hub, "Lisbon Autumn", org=spring.tour.org)

    for field, value in (("voucher_id", spring.voucher_id), ("flight_id", spring.flight_id)):
        with pytest.raises(Invalid, match="another group"):
            await apply(hub, autumn.coordinator, autumn.group.id, add("2027-04-11", "Check-in", **{field: value}))


async def test_passengers_participants_partners_staff_and_rooming_lists_are_the_callers_own(
    hub: Hub, http: httpx.AsyncClient
) -> None:
    lisbon = await an_office(hub, http, "Lisbon Tours", "Lisbon Spring")
    porto = await an_office(hub, http, "Porto Trips", "Douro Valley")
    porto_traveler = await a_person(hub, porto.tour.org, Role.TRAVELER, "Pia")
    carla, group, pia = lisbon.headers, lisbon.group, str(porto_traveler.user.id)
    boarding = f"/api/v1/flights/{lisbon.flight_id}/passengers"

    answers = {
        "passenger": await http.post(boarding, json={"participant_id": porto.participant_id}, headers=carla),
        "assignment": await http.post(
            f"{group}/assignments",
            json={"staff_id": porto.staff_id, "role": "driver", "start_date": "2027-04-10", "end_date": "2027-04-14"},
            headers=carla,
        ),
        "participant's user": await http.post(
            f"{group}/participants", json={"name": "Pia", "user_id": pia}, headers=carla
        ),
        "participant's booking": await http.post(
            f"{group}/participants", json={"name": "Pia", "booking_id": str(porto.tour.booking.id)}, headers=carla
        ),
        "voucher's partner": await http.post(
            f"{group}/vouchers", json=HOTEL_STAY | {"partner_id": porto.partner_id}, headers=carla
        ),
        "voucher's rooming list": await http.post(
            f"{group}/vouchers", json=HOTEL_STAY | {"rooming_list_id": porto.rooming_list_id}, headers=carla
        ),
        "staff member's user": await http.post(
            "/api/v1/staff", json={"name": "Pia", "role": "guide", "user_id": pia}, headers=carla
        ),
        "partner's user": await http.post(
            "/api/v1/partners",
            json={"name": "Pia's B&B", "kind": "hotel", "user_id": pia},
            headers=carla,
        ),
    }

    assert {what: answer.status_code for what, answer in answers.items()} == dict.fromkeys(answers, 404)
    assert all(answer.json()["detail"].endswith("not found") for answer in answers.values())
    own = await http.post(boarding, json={"participant_id": lisbon.participant_id}, headers=carla)
    assert own.status_code == 201, own.text
