"""The browser's itinerary fold (web/static/js/room/itinerary-model.js, run by Node) ends with exactly the
server's itinerary when it folds the server's resolved ops in seq order — adds with placement, field edits,
moves across days, removals, an op dropped on a removed item, and a restore."""

from __future__ import annotations

import msgspec

from domains.itineraries.service import ItineraryService
from domains.kernel.runtime import Hub
from tests.support.builders import a_tour_group
from tests.support.itinerary_steps import add, apply, principal_of, snapshot
from tests.support.node import run_node

# Folds the events from stdin like the page does and prints each day's visible items in display order.
FOLD = """
import { ItineraryModel } from "room/itinerary-model.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { days, events } = JSON.parse(input);
const model = new ItineraryModel();
model.load({ items: [], days: days.map((date) => ({ date })), timezone: "UTC", group_name: "", seq: 0 });
for (const event of events) model.receive(event);
const out = {};
for (const day of days) out[day] = model.itemsOf(day).map(({ removed, ...item }) => item);
console.log(JSON.stringify({ days: out, editors: Object.fromEntries(model.editors) }));
"""


async def test_the_browser_fold_of_the_resolved_ops_is_the_servers_itinerary(hub: Hub) -> None:
    tour = await a_tour_group(hub)
    carla, ana, group_id = tour.coordinator, tour.guide, tour.group.id
    tower = add(
        "2027-04-10", "Belém tower", start="10:00", place={"name": "Torre de Belém", "lat": 38.69, "lon": -9.21}
    )
    lunch = add("2027-04-10", "Lunch", after=tower["item_id"], start="12:30", kind="meal")
    fado = add("2027-04-11", "Fado night", start="21:00")
    bus = add("2027-04-10", "Bus to the hotel", after=None, kind="transfer")
    for op in (tower, lunch, fado, bus):
        await apply(hub, carla, group_id, op)
    before_edits = (await snapshot(hub, carla, group_id)).seq
    edits = [
        (ana, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"start": "10:30", "end": "11:45"}}),
        (carla, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"title": "Torre de Belém"}}),
        (ana, {"type": "move_item", "item_id": lunch["item_id"], "day": "2027-04-11", "after": None}),
        (carla, {"type": "set_fields", "item_id": fado["item_id"], "fields": {"notes": "bring a jacket"}}),
        (carla, {"type": "remove_item", "item_id": bus["item_id"]}),
        (ana, {"type": "set_fields", "item_id": bus["item_id"], "fields": {"title": "too late"}}),  # dropped
        (ana, {"type": "move_item", "item_id": tower["item_id"], "day": "2027-04-10", "after": lunch["item_id"]}),
    ]
    for person, op in edits:
        await apply(hub, person, group_id, op)
    await apply(hub, carla, group_id, {"type": "restore", "seq": before_edits + 4})  # the bus comes back
    await apply(hub, ana, group_id, {"type": "set_fields", "item_id": fado["item_id"], "fields": {"status": "done"}})

    principal = principal_of(carla)
    async with hub.unit_of_work(tour.org.id) as uow:
        history = await ItineraryService(uow.session, uow.bus).history(principal, group_id, limit=100)
    events = [
        {"seq": entry.seq, "dropped": entry.dropped, "op": entry.op, "author": entry.author}
        for entry in reversed(history)
    ]
    server = msgspec.to_builtins(await snapshot(hub, carla, group_id))
    days = [day["date"] for day in server["days"]]

    folded = run_node(FOLD, {"days": days, "events": events})

    assert folded["days"] == {day["date"]: day["items"] for day in server["days"]}
    assert [item["title"] for item in folded["days"]["2027-04-10"]] == ["Bus to the hotel", "Torre de Belém"]
    assert [item["title"] for item in folded["days"]["2027-04-11"]] == ["Lunch", "Fado night"]
    # Who changed each item last, as the page shows it ("edited by Ana").
    assert folded["editors"][fado["item_id"]]["name"] == "Ana"
    assert folded["editors"][bus["item_id"]]["name"] == "Carla"  # restored by Carla; Ana's edit was dropped
