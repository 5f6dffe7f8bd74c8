"""Carla rooms 'Lisbon Spring' at Hotel Avenida, then imports the hotel's own list, twice, as hotels send it."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
from openpyxl import Workbook

from domains.groups.schemas import GroupCreate, ParticipantCreate
from domains.groups.service import GroupService
from domains.kernel.bus import capture_events
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.rooming.importer import match_names
from tests.support.builders import TourGroup, a_person, a_tour_group, an_organization, bearer, sign_in
from tests.support.server import RunningHub

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOTEL_CSV = """Room No.;Room Type;Guest Name
101;Double;MARIA  SILVA
101;Double;joao goncalves
102;Twin;"O'Neil, Anne-Marie"
102;Twin;Peter Muller
103;Single;Tom
104;Single;Zed Nobody
"""


@dataclass
class Hotel:
    tour: TourGroup
    carla: dict[str, str]
    people: dict[str, str]  # first name → participant id
    list_id: str

    @property
    def url(self) -> str:
        return f"/api/v1/rooming-lists/{self.list_id}"


async def a_hotel_stay(hub: Hub, http: httpx.AsyncClient) -> Hotel:
    tour = await a_tour_group(hub)
    async with hub.unit_of_work(tour.org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        for name in ("Maria Silva", "João Gonçalves", "Anne-Marie O'Neil", "Peter Müller"):
            await groups.add_participant(tour.group.id, ParticipantCreate(name=name))
        people = {p.name.split()[0]: str(p.id) for p in await groups.list_participants(tour.group.id)}
    carla = bearer(await sign_in(http, tour.coordinator))
    stay = {
        "type": "hotel",
        "check_in": "2027-04-10",
        "check_out": "2027-04-14",
        "rooms": [{"type": "twin", "count": 3}],
    }
    voucher = await http.post(f"/api/v1/groups/{tour.group.id}/vouchers", json=stay, headers=carla)
    assert voucher.status_code == 201, voucher.text
    created = await http.post(
        f"/api/v1/groups/{tour.group.id}/rooming-lists",
        json={"hotel_name": "Hotel Avenida", "voucher_id": voucher.json()["id"]},
        headers=carla,
    )
    assert created.status_code == 201, created.text
    return Hotel(tour, carla, people, created.json()["id"])


def everyone_placed_once(rooming: dict[str, Any]) -> Counter[str]:
    return Counter(pid for room in rooming["rooms"] for pid in room["occupants"])


def rooms_by_label(hotel: Hotel, rooming: dict[str, Any]) -> dict[str, set[str]]:
    names = {pid: name for name, pid in hotel.people.items()}
    return {room["room"]: {names[pid] for pid in room["occupants"]} for room in rooming["rooms"]}


async def test_a_rooming_list_reports_who_is_missing_and_refuses_anyone_in_two_rooms(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    avenida = await a_hotel_stay(hub, http)
    p = avenida.people
    fresh = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert fresh["hotel_name"] == "Hotel Avenida" and fresh["voucher_id"] and fresh["rooms"] == []
    assert sorted(fresh["problems"]["missing"]) == sorted(p.values()) and not fresh["complete"]

    with capture_events(server.hub.subscribers) as events:
        saved = await http.put(
            f"{avenida.url}/rooms",
            json=[
                {"room": "101", "room_type": "double", "occupants": [p["Maria"], p["João"]], "notes": "sea view"},
                {"room_type": "single", "occupants": [p["Tom"]]},
            ],
            headers=avenida.carla,
        )
    assert saved.status_code == 200, saved.text
    assert [(r["room"], r["room_type"]) for r in saved.json()["rooms"]] == [("101", "double"), ("Room 1", "single")]
    assert sorted(saved.json()["problems"]["missing"]) == sorted([p["Anne-Marie"], p["Peter"]])
    [updated] = events
    assert updated.name == "rooming_list.updated"
    assert updated.audience == (f"group:{avenida.tour.group.id}", "board:dispatch")

    staying_elsewhere = await http.patch(avenida.url, json={"not_staying": [p["Peter"]]}, headers=avenida.carla)
    assert staying_elsewhere.json()["problems"] == {"missing": [p["Anne-Marie"]], "duplicates": [], "unknown": []}

    twice = await http.put(
        f"{avenida.url}/rooms",
        json=[
            {"room": "101", "room_type": "double", "occupants": [p["Maria"], p["Anne-Marie"]]},
            {"room": "102", "room_type": "double", "occupants": [p["Anne-Marie"], p["Tom"]]},
        ],
        headers=avenida.carla,
    )
    assert twice.status_code == 422 and "Anne-Marie O'Neil" in twice.json()["detail"]
    async with hub.unit_of_work(avenida.tour.org.id) as uow:
        porto = await GroupService(uow.session, uow.bus).create_group(
            avenida.tour.org.id,
            GroupCreate(
                name="Porto Autumn", start_date=avenida.tour.group.start_date, end_date=avenida.tour.group.end_date
            ),
        )
        sam = await GroupService(uow.session, uow.bus).add_participant(porto.id, ParticipantCreate(name="Sam"))
    outsider = await http.put(
        f"{avenida.url}/rooms", json=[{"room_type": "single", "occupants": [str(sam.id)]}], headers=avenida.carla
    )
    assert outsider.status_code == 422 and str(sam.id) in outsider.json()["detail"]
    after = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert rooms_by_label(avenida, after) == {"101": {"Maria", "João"}, "Room 1": {"Tom"}}

    complete = await http.put(
        f"{avenida.url}/rooms",
        json=[
            {"room": "101", "room_type": "double", "occupants": [p["Maria"], p["João"]]},
            {"room": "102", "room_type": "single", "occupants": [p["Anne-Marie"]]},
            {"room": "103", "room_type": "single", "occupants": [p["Tom"]]},
        ],
        headers=avenida.carla,
    )
    assert complete.json()["complete"] is True


async def test_importing_the_same_csv_twice_changes_nothing_the_second_time(
    http: httpx.AsyncClient, hub: Hub, server: RunningHub
) -> None:
    avenida = await a_hotel_stay(hub, http)
    headers = avenida.carla | {"Content-Type": "text/csv"}

    first = await http.post(f"{avenida.url}/import", content=HOTEL_CSV.encode(), headers=headers)
    with capture_events(server.hub.subscribers) as events:
        second = await http.post(f"{avenida.url}/import", content=HOTEL_CSV.encode(), headers=headers)

    assert first.status_code == 200, first.text
    assert sorted(change["name"] for change in first.json()["added"]) == sorted(
        ["Maria Silva", "João Gonçalves", "Anne-Marie O'Neil", "Peter Müller", "Tom"]
    )
    assert first.json()["unknown_names"] == ["Zed Nobody"]
    assert second.json() == {
        "added": [],
        "moved": [],
        "removed": [],
        "unchanged": 5,
        "unknown_names": ["Zed Nobody"],
        "ambiguous_names": [],
        "room_types_changed": [],
        "matched_loosely": [],
    }
    assert events == []  # nothing changed, so nobody is told anything
    rooming = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert everyone_placed_once(rooming) == Counter(avenida.people.values())
    assert rooms_by_label(avenida, rooming) == {
        "101": {"Maria", "João"},
        "102": {"Anne-Marie", "Peter"},
        "103": {"Tom"},
    }
    assert [room["room_type"] for room in rooming["rooms"]] == ["Double", "Twin", "Single"]
    assert rooming["complete"] is True


async def test_importing_a_modified_file_applies_only_the_difference(http: httpx.AsyncClient, hub: Hub) -> None:
    avenida = await a_hotel_stay(hub, http)
    headers = avenida.carla | {"Content-Type": "text/csv"}
    await http.post(f"{avenida.url}/import", content=HOTEL_CSV.encode(), headers=headers)
    # The hotel's next version: a typo in Maria's name, Peter moved to his own room, Tom gone, Anne-Marie's
    # room became a triple.
    modified = """ROOM,TYPE,GUEST
101,Double,Maria Slva
101,Double,Joao Goncalves
102,Triple,Anne-Marie O'Neil
105,Single,Peter Müller
"""

    response = await http.post(f"{avenida.url}/import", content=modified.encode(), headers=headers)

    assert response.status_code == 200, response.text
    diff = response.json()
    assert diff["added"] == []
    assert diff["moved"] == [
        {"participant_id": avenida.people["Peter"], "name": "Peter Müller", "room": "105", "from_room": "102"}
    ]
    assert diff["removed"] == [{"participant_id": avenida.people["Tom"], "name": "Tom", "room": "103"}]
    assert diff["unchanged"] == 3 and diff["unknown_names"] == [] and diff["room_types_changed"] == ["102"]
    assert diff["matched_loosely"] == ["Maria Slva → Maria Silva"]
    rooming = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert rooms_by_label(avenida, rooming) == {"101": {"Maria", "João"}, "102": {"Anne-Marie"}, "105": {"Peter"}}
    assert rooming["problems"]["missing"] == [avenida.people["Tom"]]


def hotel_workbook(rows: list[tuple[Any, ...]]) -> bytes:
    """As hotels send them: a title row, numeric room numbers, the room only on its first line."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(("Hotel Avenida — rooming list", None, None))
    sheet.append(())
    sheet.append(("ROOM #", "Room Category", "Guest"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_an_xlsx_import_is_idempotent_and_applies_differences(http: httpx.AsyncClient, hub: Hub) -> None:
    avenida = await a_hotel_stay(hub, http)
    workbook = hotel_workbook(
        [(201, "Double", "Maria Silva"), (None, None, "João Gonçalves"), (202, "Twin", "Anne-Marie O'Neil"),
         (None, None, "Peter Müller"), (203, "Single", "Tom")]
    )  # fmt: skip

    first = await http.post(
        f"{avenida.url}/import", files={"file": ("avenida.xlsx", workbook, XLSX)}, headers=avenida.carla
    )
    second = await http.post(f"{avenida.url}/import", content=workbook, headers=avenida.carla | {"Content-Type": XLSX})

    assert first.status_code == 200, first.text
    assert len(first.json()["added"]) == 5
    assert second.status_code == 200, second.text
    assert (second.json()["added"], second.json()["moved"], second.json()["removed"]) == ([], [], [])
    assert second.json()["unchanged"] == 5
    rooming = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert everyone_placed_once(rooming) == Counter(avenida.people.values())
    assert rooms_by_label(avenida, rooming)["201"] == {"Maria", "João"}

    swapped = hotel_workbook(
        [(201, "Double", "Maria Silva"), (None, None, "Peter Müller"), (202, "Twin", "Anne-Marie O'Neil"),
         (None, None, "João Gonçalves"), (203, "Single", "Tom")]
    )  # fmt: skip
    third = await http.post(
        f"{avenida.url}/import", files={"file": ("avenida.xlsx", swapped, XLSX)}, headers=avenida.carla
    )
    assert sorted((m["name"], m["from_room"], m["room"]) for m in third.json()["moved"]) == [
        ("João Gonçalves", "201", "202"),
        ("Peter Müller", "202", "201"),
    ]
    assert third.json()["unchanged"] == 3


async def test_two_imports_at_once_never_duplicate_a_name(http: httpx.AsyncClient, hub: Hub) -> None:
    avenida = await a_hotel_stay(hub, http)
    headers = avenida.carla | {"Content-Type": "text/csv"}

    answers = await asyncio.gather(
        *(http.post(f"{avenida.url}/import", content=HOTEL_CSV.encode(), headers=headers) for _ in range(4))
    )

    assert [answer.status_code for answer in answers] == [200] * 4
    assert sum(len(answer.json()["added"]) for answer in answers) == 5
    rooming = (await http.get(avenida.url, headers=avenida.carla)).json()
    assert everyone_placed_once(rooming) == Counter(avenida.people.values())


async def test_unreadable_files_are_refused_with_a_reason(http: httpx.AsyncClient, hub: Hub) -> None:
    avenida = await a_hotel_stay(hub, http)
    url = f"{avenida.url}/import"
    csv = avenida.carla | {"Content-Type": "text/csv"}
    cases = [
        (b"", csv, 422),
        (b"Name,Age\nTom,33\n", csv, 422),  # no room column
        (b"room,guest\n101,Tom\n101,Tom\n102,Tom\n", csv, 422),  # Tom in two rooms
        (b"room,guest\n", csv, 422),  # nobody: applying it would empty the list
        (b"room,guest\n7,Somebody Else\n", csv, 422),  # another group's file
        (b'{"room": 101}', avenida.carla | {"Content-Type": "application/json"}, 415),
        (b"PK\x03\x04 not really a workbook", avenida.carla | {"Content-Type": XLSX}, 422),
        (b"room,guest\n101,Tom\n", avenida.carla | {"Content-Type": XLSX}, 422),
        (b"\x00\x01\x02binary", csv, 415),
    ]
    for body, headers, status in cases:
        response = await http.post(url, content=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["detail"], body
    assert (await http.get(avenida.url, headers=avenida.carla)).json()["rooms"] == []


async def test_another_organizations_rooming_lists_are_not_found(http: httpx.AsyncClient, hub: Hub) -> None:
    avenida = await a_hotel_stay(hub, http)
    porto = await an_organization(hub, "Porto Trips")
    pedro = bearer(await sign_in(http, await a_person(hub, porto, Role.COORDINATOR, "Pedro")))
    group_lists = f"/api/v1/groups/{avenida.tour.group.id}/rooming-lists"

    assert (await http.get(avenida.url, headers=pedro)).status_code == 404
    assert (await http.get(group_lists, headers=pedro)).status_code == 404
    assert (await http.post(group_lists, json={"hotel_name": "Spy Inn"}, headers=pedro)).status_code == 404
    assert (await http.put(f"{avenida.url}/rooms", json=[], headers=pedro)).status_code == 404
    assert (await http.patch(avenida.url, json={"hotel_name": "Mine"}, headers=pedro)).status_code == 404
    imported = await http.post(
        f"{avenida.url}/import", content=HOTEL_CSV.encode(), headers=pedro | {"Content-Type": "text/csv"}
    )
    assert imported.status_code == 404
    # And Carla's list is untouched.
    assert (await http.get(avenida.url, headers=avenida.carla)).json()["hotel_name"] == "Hotel Avenida"


def test_hotel_spellings_of_a_name_match_the_participant() -> None:
    maria, mario, john_a, john_b = (uuid.uuid4() for _ in range(4))
    people = [(maria, "Maria Silva"), (mario, "Mário Souza"), (john_a, "John Smith"), (john_b, "John Smith")]

    found = match_names(["SILVA/MARIA MRS", "Silva,  María", "Maria Slva", "Mario Silva", "John Smith", "Ann"], people)

    assert found["SILVA/MARIA MRS"].participant == maria
    assert found["Silva,  María"].participant == maria
    assert found["Maria Slva"].participant == maria  # one letter off, and nobody else is close
    assert found["Mario Silva"].participant is None and not found["Mario Silva"].ambiguous
    assert found["John Smith"].ambiguous and set(found["John Smith"].candidates) == {john_a, john_b}
    assert found["Ann"].participant is None
