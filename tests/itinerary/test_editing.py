"""Carla and Ana plan Lisbon Spring's days: ops, merges, dropped edits, resends, rules and warnings."""

from __future__ import annotations

import pytest

from domains.itineraries.events import ItineraryApplied, ItineraryChanged
from domains.kernel.bus import capture_events
from domains.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from domains.kernel.runtime import Hub
from tests.support.builders import a_tour_group
from tests.support.itinerary_steps import add, apply, new_id, snapshot

BELEM = {"name": "Belém Tower", "address": "Av. Brasília, Lisboa", "lat": 38.6916, "lon": -9.2160}
SINTRA = {"name": "Pena Palace", "address": "Sintra", "lat": 38.7876, "lon": -9.3906}


async def test_items_are_added_in_order_edited_moved_and_removed(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    gid, carla, ana = lisbon.group.id, lisbon.coordinator, lisbon.guide
    tower = add("2027-04-11", "Belém Tower", start="10:00", end="11:30", place=BELEM, kind="visit")
    lunch = add("2027-04-11", "Lunch", after=tower["item_id"], kind="meal")
    first = await apply(hub, carla, gid, tower)
    await apply(hub, ana, gid, lunch)
    coffee = add("2027-04-11", "Coffee", after=None)  # after: null puts it first
    await apply(hub, carla, gid, coffee)
    # Inserting between the first two never renumbers them.
    pastry = add("2027-04-11", "Pastéis", after=coffee["item_id"])
    await apply(hub, ana, gid, pastry)

    view = await snapshot(hub, carla, gid)
    assert [i.title for i in view.items] == ["Coffee", "Pastéis", "Belém Tower", "Lunch"]
    assert [d.date for d in view.days] == ["2027-04-10", "2027-04-11", "2027-04-12", "2027-04-13", "2027-04-14"]
    assert view.days[1].items == view.items and first.seq == 1 and view.seq == 4

    await apply(hub, carla, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"title": "Torre"}})
    await apply(hub, ana, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"notes": "tickets"}})
    await apply(hub, carla, gid, {"type": "move_item", "item_id": lunch["item_id"], "day": "2027-04-12"})
    await apply(hub, ana, gid, {"type": "remove_item", "item_id": coffee["item_id"]})
    view = await snapshot(hub, carla, gid)
    torre = next(i for i in view.items if i.id == tower["item_id"])
    assert (torre.title, torre.notes, torre.place) == ("Torre", "tickets", BELEM)  # both edits survive
    assert [(i.day, i.title) for i in view.items] == [
        ("2027-04-11", "Pastéis"),
        ("2027-04-11", "Torre"),
        ("2027-04-12", "Lunch"),
    ]


async def test_an_edit_of_a_removed_item_is_dropped_and_a_resend_is_applied_once(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    gid, carla, ana = lisbon.group.id, lisbon.coordinator, lisbon.guide
    tower = add("2027-04-11", "Belém Tower")
    await apply(hub, carla, gid, tower)
    await apply(hub, carla, gid, {"type": "remove_item", "item_id": tower["item_id"]})
    late = await apply(hub, ana, gid, {"type": "set_fields", "item_id": tower["item_id"], "fields": {"notes": "x"}})
    assert late.dropped is True and late.seq == 3

    with capture_events(hub.subscribers) as events:
        once = await apply(hub, ana, gid, add("2027-04-12", "Sintra"), client_op_id="ana-7")
        again = await apply(hub, ana, gid, add("2027-04-12", "Sintra (resent)"), client_op_id="ana-7")
    assert (again.seq, again.duplicate) == (once.seq, True)
    assert [type(e) for e in events] == [ItineraryApplied, ItineraryChanged]  # the resend announced nothing
    assert events[1].audience == ("board:dispatch",)
    assert [i.title for i in (await snapshot(hub, carla, gid)).items] == ["Sintra"]


async def test_after_a_removed_item_means_the_end_of_the_day(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    gid, carla = lisbon.group.id, lisbon.coordinator
    a = add("2027-04-11", "A")
    gone = add("2027-04-11", "Gone", after=a["item_id"])
    for op in (a, gone, add("2027-04-11", "B", after=gone["item_id"])):
        await apply(hub, carla, gid, op)
    await apply(hub, carla, gid, {"type": "remove_item", "item_id": gone["item_id"]})
    await apply(hub, carla, gid, add("2027-04-11", "C", after=gone["item_id"]))
    await apply(hub, carla, gid, add("2027-04-11", "D", after=new_id()))
    assert [i.title for i in (await snapshot(hub, carla, gid)).items] == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("op", "error"),
    [
        (add("2027-04-09", "Too early"), Invalid),
        (add("2027-04-15", "Too late"), Invalid),
        (add("2027-04-11", "Backwards", start="12:00", end="11:00"), Invalid),
        (add("2027-04-11", "Bad time", start="25:00"), Invalid),
        (add("2027-04-11", "Bad kind", kind="party"), Invalid),
        ({"type": "add_item", "item_id": new_id(), "day": "2027-04-11", "fields": {}}, Invalid),
        ({"type": "set_fields", "item_id": new_id(), "fields": {"title": "?"}}, NotFound),
        ({"type": "explode"}, Invalid),
        ("not an op", Invalid),
    ],
)
async def test_bad_ops_are_refused_with_a_reason(hub: Hub, op: object, error: type[Exception]) -> None:
    lisbon = await a_tour_group(hub)
    with pytest.raises(error):
        await apply(hub, lisbon.coordinator, lisbon.group.id, op)  # type: ignore[arg-type]
    assert (await snapshot(hub, lisbon.coordinator, lisbon.group.id)).seq == 0  # nothing used a seq


async def test_an_item_id_is_used_once_and_travelers_only_read(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    gid = lisbon.group.id
    tower = add("2027-04-11", "Belém Tower")
    await apply(hub, lisbon.coordinator, gid, tower)
    with pytest.raises(Conflict):
        await apply(hub, lisbon.guide, gid, tower)
    with pytest.raises(Forbidden):
        await apply(hub, lisbon.traveler, gid, add("2027-04-11", "My own plan"))
    assert [i.title for i in (await snapshot(hub, lisbon.traveler, gid)).items] == ["Belém Tower"]
    porto = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)
    with pytest.raises(Forbidden):
        await snapshot(hub, lisbon.traveler, porto.group.id)
    with pytest.raises(Forbidden):
        await apply(hub, lisbon.guide, porto.group.id, add("2027-04-11", "Not my group"))


async def test_overlaps_and_tight_transfers_are_warnings_not_errors(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    gid, carla = lisbon.group.id, lisbon.coordinator
    tower = add("2027-04-11", "Belém Tower", start="10:00", end="11:30", place=BELEM)
    await apply(hub, carla, gid, tower)
    # 20 km to Sintra at 30 km/h needs ~40 min; 15 min are planned.
    palace = await apply(hub, carla, gid, add("2027-04-11", "Pena Palace", start="11:45", end="13:00", place=SINTRA))
    assert [w.code for w in palace.warnings] == ["tight_gap"]
    assert "needs about" in palace.warnings[0].message
    clash = await apply(hub, carla, gid, add("2027-04-11", "Fado", start="12:30", end="14:00"))
    assert [w.code for w in clash.warnings] == ["overlap", "tight_gap"]
    view = await snapshot(hub, carla, gid)
    assert {w.code for w in view.warnings} == {"overlap", "tight_gap"} and len(view.items) == 3
