"""Lisbon Spring's plan over HTTP: the snapshot, history, `at_seq`, restore (and its undo), and exports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from domains.itineraries import ical
from domains.itineraries.schemas import Day, ItemView, ItineraryOut
from domains.kernel.runtime import Hub
from tests.support.builders import TourGroup, a_tour_group, bearer, sign_in
from tests.support.itinerary_steps import add, apply

BELEM = {"name": "Belém Tower", "address": "Av. Brasília, 1400-038 Lisboa", "lat": 38.6916, "lon": -9.216}


async def plan(hub: Hub, lisbon: TourGroup) -> dict[str, str]:
    """Five ops: add two items, edit one, move one, remove one."""
    gid, carla, ana = lisbon.group.id, lisbon.coordinator, lisbon.guide
    tower = add("2027-04-11", "Belém Tower", start="10:00", end="11:30", place=BELEM, kind="visit")
    lunch = add("2027-04-11", "Lunch; fish, wine", after=tower["item_id"], start="12:30", kind="meal")
    await apply(hub, carla, gid, tower)
    await apply(hub, ana, gid, lunch)
    await apply(hub, carla, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"notes": "Line 1\nL2"}})
    await apply(hub, ana, gid, {"type": "move_item", "item_id": lunch["item_id"], "day": "2027-04-12"})
    await apply(hub, carla, gid, {"type": "remove_item", "item_id": tower["item_id"]})
    return {"tower": tower["item_id"], "lunch": lunch["item_id"]}


async def get(http: httpx.AsyncClient, tokens: dict[str, str], path: str, **params: Any) -> httpx.Response:
    return await http.get(path, headers=bearer(tokens), params=params)


async def test_at_seq_and_restore_reproduce_earlier_states_exactly(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await a_tour_group(hub)
    await plan(hub, lisbon)
    carla = await sign_in(http, lisbon.coordinator)
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"
    states = {seq: (await get(http, carla, url, at_seq=seq)).json() for seq in range(6)}
    assert [len(states[seq]["items"]) for seq in range(6)] == [0, 1, 2, 2, 2, 1]
    now = (await get(http, carla, url)).json()
    assert now["items"] == states[5]["items"] and now["seq"] == 5

    restored = (await http.post(f"{url}/restore", json={"seq": 3}, headers=bearer(carla))).json()
    assert restored["seq"] == 6 and restored["dropped"] is False
    after = (await get(http, carla, url)).json()
    assert after["items"] == states[3]["items"] and after["days"] == states[3]["days"]
    assert (await get(http, carla, url, at_seq=6)).json()["items"] == states[3]["items"]

    # A restore is an op: another restore undoes it.
    undo = (await http.post(f"{url}/restore", json={"seq": 5, "client_op_id": "undo-1"}, headers=bearer(carla))).json()
    assert (await get(http, carla, url)).json()["items"] == states[5]["items"]
    again = (await http.post(f"{url}/restore", json={"seq": 5, "client_op_id": "undo-1"}, headers=bearer(carla))).json()
    assert again["seq"] == undo["seq"] and again["duplicate"] is True

    history = (await get(http, carla, f"{url}/history")).json()
    assert [h["seq"] for h in history] == [7, 6, 5, 4, 3, 2, 1]
    assert [h["author"]["name"] for h in history[-2:]] == ["Ana", "Carla"]
    assert history[1]["summary"].startswith("restored the itinerary as it was at seq 3")
    assert history[-1]["summary"] == "added 'Belém Tower' on 2027-04-11"
    assert history[-3]["summary"] == "changed notes of 'Belém Tower'"
    page = (await get(http, carla, f"{url}/history", before_seq=3, limit=1)).json()
    assert [h["seq"] for h in page] == [2]


async def test_travelers_read_their_groups_plan_and_nobody_else_does(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await a_tour_group(hub)
    porto = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)
    await plan(hub, lisbon)
    tom = await sign_in(http, lisbon.traveler)
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"
    mine = await get(http, tom, url)
    assert mine.status_code == 200 and [i["title"] for i in mine.json()["items"]] == ["Lunch; fish, wine"]
    assert (await get(http, tom, f"/api/v1/groups/{porto.group.id}/itinerary")).status_code == 403
    assert (await http.post(f"{url}/restore", json={"seq": 1}, headers=bearer(tom))).status_code == 403
    assert (await get(http, tom, "/api/v1/groups/00000000-0000-4000-8000-000000000000/itinerary")).status_code == 404
    assert (await http.get(url)).status_code == 401


async def test_bad_requests_get_a_4xx_with_a_reason(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await a_tour_group(hub)
    await plan(hub, lisbon)
    carla = await sign_in(http, lisbon.coordinator)
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"
    for params in ({"at_seq": -1}, {"at_seq": 99}, {"at_seq": "x"}):
        response = await get(http, carla, url, **params)
        assert response.status_code in (400, 422) and response.json()["detail"], params
    for body in ({"seq": 99}, {"seq": -1}, {"seq": "three"}, {"seq": 1, "extra": True}, {}):
        response = await http.post(f"{url}/restore", json=body, headers=bearer(carla))
        assert response.status_code in (400, 422), body
    speed = await http.patch(f"{url}/settings", json={"travel_speed_kmh": 0}, headers=bearer(carla))
    assert speed.status_code == 400
    speed = await http.patch(f"{url}/settings", json={"travel_speed_kmh": 12.5}, headers=bearer(carla))
    assert speed.status_code == 200 and speed.json()["travel_speed_kmh"] == 12.5


async def test_the_plan_exports_to_icalendar_html_and_json(hub: Hub, http: httpx.AsyncClient) -> None:
    lisbon = await a_tour_group(hub, "Lisbon <Spring>")
    ids = await plan(hub, lisbon)
    await apply(hub, lisbon.coordinator, lisbon.group.id, add("2027-04-12", "Free afternoon", kind="free"))
    tom = await sign_in(http, lisbon.traveler)
    url = f"/api/v1/groups/{lisbon.group.id}/itinerary"

    calendar = await get(http, tom, url + ".ics")
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    text = calendar.text
    assert text.count("BEGIN:VEVENT") == 1  # the untimed free afternoon is not an event
    assert f"UID:{ids['lunch']}@spirit-hub" in text and "DTSTART;TZID=UTC:20270412T123000" in text
    assert "SUMMARY:Lunch\\; fish\\, wine" in text and "BEGIN:VTIMEZONE" in text

    page = await get(http, tom, url + ".html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text and "Lisbon &lt;Spring&gt;" in page.text and "Free afternoon" in page.text

    exported = await get(http, tom, url + ".json")
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.json()["items"] == (await get(http, tom, url)).json()["items"]


def test_icalendar_lines_are_escaped_folded_and_in_the_groups_time_zone() -> None:
    long_title = "Évora day trip: Roman temple, Chapel of Bones, cork oak forest, lunch — " * 3
    item = ItemView(
        **{
            "id": "0b7c5a7e-4f7e-4a37-9b3d-7e0bbf1b2a10",
            "day": "2027-03-28",
            "key": "a0",
            "kind": "visit",
            "title": long_title,
            "start": "09:00",
            "end": "18:00",
            "place": BELEM,
            "notes": "Bring water\r\nand hats; \\ no drones",
            "status": "confirmed",
            "voucher_id": None,
            "flight_id": None,
            "staff_ids": [],
        }
    )
    itinerary = ItineraryOut(
        group_id="g", group_name="Lisbon, Spring", seq=1, timezone="Europe/Lisbon", start_date="2027-03-27",
        end_date="2027-03-29", travel_speed_kmh=30, days=[Day(date="2027-03-28", items=[item])], items=[item],
        warnings=[],
    )  # fmt: skip
    text = ical.render(itinerary, datetime(2027, 1, 1, 12, tzinfo=UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/Lisbon:20270328T090000" in unfolded
    assert "DTEND;TZID=Europe/Lisbon:20270328T180000" in unfolded
    assert f"SUMMARY:{long_title.replace(',', chr(92) + ',')}\r\n" in unfolded
    assert "DESCRIPTION:Bring water\\nand hats\\; \\\\ no drones\r\n" in unfolded
    assert "LOCATION:Belém Tower\\, Av. Brasília\\, 1400-038 Lisboa" in unfolded
    assert "GEO:38.691600;-9.216000" in unfolded and "DTSTAMP:20270101T120000Z" in unfolded
    assert "X-WR-CALNAME:Lisbon\\, Spring" in unfolded
    # The clocks go forward in Lisbon on 28 March 2027 at 01:00 UTC.
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20270328T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100" in unfolded
    # No line is cut inside a multi-byte character.
    assert all(line.encode("utf-8").decode("utf-8") == line for line in lines)
