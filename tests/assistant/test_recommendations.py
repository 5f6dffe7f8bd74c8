"""Recommendations for a group, on the real database and the real MiniLM model: taste, filters, diversity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ai.recommend.index import CatalogIndexes
from ai.recommend.recommendations import recommend_for_group
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import a_person, an_organization
from tests.support.catalog_world import a_catalog, a_group, a_plan, an_item


def names(recommendations) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.name for r in recommendations]


async def test_a_group_that_visited_jeronimos_is_offered_the_belem_walk_with_a_reason(
    hub: Hub, indexes: CatalogIndexes
) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    await a_catalog(hub, org)
    group = await a_group(hub, org, "History buffs")
    await a_plan(hub, group, carla, ("visit", "Jerónimos Monastery", None))

    tours = await recommend_for_group(indexes, org.id, group.id, kind="tour", k=3)

    assert tours[0].name == "Belém Monuments Walking Tour"
    assert tours[0].reason.startswith("Like the Jerónimos Monastery visit on your itinerary")
    assert all(r.kind == "tour" for r in tours)


async def test_stated_interests_steer_the_ranking(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Night owls", interests=["fado music", "live music at night"])

    activities = await recommend_for_group(indexes, org.id, group.id, kind="activity", k=2)

    assert activities[0].name == "Fado night in Alfama"
    assert "your interest in" in activities[0].reason


async def test_only_the_groups_cities_unless_another_city_is_asked_for(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Lisbon only", interests=["wine tasting"])

    in_lisbon = await recommend_for_group(indexes, org.id, group.id, k=20)
    in_porto = await recommend_for_group(indexes, org.id, group.id, k=20, city="porto")

    assert {r.city for r in in_lisbon} == {"Lisbon"}
    assert set(names(in_porto)) == {"Livraria Lello and Ribeira walk", "Port wine cellar visit"}


async def test_seasonal_items_only_in_season(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    april = await a_group(hub, org, "April", interests=["sunset on the river"])

    assert "Tagus sunset sailing" not in names(await recommend_for_group(indexes, org.id, april.id, k=20))
    in_july = await recommend_for_group(indexes, org.id, april.id, k=20, on_date=date(2027, 7, 3))
    assert "Tagus sunset sailing" in names(in_july)


async def test_open_hours_on_the_day_and_at_the_time(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Late dinner")
    monday, tuesday = date(2027, 4, 12), date(2027, 4, 13)

    assert "National Tile Museum visit" not in names(
        await recommend_for_group(indexes, org.id, group.id, on_date=monday)
    )
    assert "National Tile Museum visit" in names(await recommend_for_group(indexes, org.id, group.id, on_date=tuesday))

    late = await recommend_for_group(indexes, org.id, group.id, kind="restaurant", on_date=tuesday, at_time="23:45")
    # Ao 26 closes at 23:00; the tavern runs past midnight, Ramiro until 00:30.
    assert set(names(late)) == {"Cervejaria Ramiro", "Tasca do Chico", "Time Out Market Lisboa"}
    after_midnight = await recommend_for_group(
        indexes, org.id, group.id, kind="restaurant", on_date=tuesday, at_time="01:30"
    )
    assert names(after_midnight) == ["Tasca do Chico"]
    assert "open until 02:00" in after_midnight[0].reason


async def test_restaurants_must_cover_every_travelers_diet(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Mixed diets", travelers=[["vegan"], ["Gluten free"], []])

    restaurants = await recommend_for_group(indexes, org.id, group.id, kind="restaurant", k=10)

    assert set(names(restaurants)) == {"Ao 26 Vegan Food Project", "Time Out Market Lisboa"}
    assert all("vegan and gluten-free options" in r.reason for r in restaurants)
    # Tours are not held to the restaurants' rule.
    assert await recommend_for_group(indexes, org.id, group.id, kind="tour")


async def test_group_size_and_price_per_person(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    small = await a_group(hub, org, "Four friends", travelers=[[], [], [], []])
    large = await a_group(hub, org, "Choir", travelers=[[] for _ in range(12)])

    assert "Private tuk-tuk tour of the seven hills" in names(
        await recommend_for_group(indexes, org.id, small.id, k=20)
    )
    assert "Private tuk-tuk tour of the seven hills" not in names(
        await recommend_for_group(indexes, org.id, large.id, k=20)
    )
    # 180 per group of four is 45 each: under 50; the 95 tasting tour is not.
    cheap = names(await recommend_for_group(indexes, org.id, small.id, kind="tour", max_price=50))
    assert "Private tuk-tuk tour of the seven hills" in cheap
    assert "Gourmet food and wine tasting tour" not in cheap


async def test_what_is_already_on_the_itinerary_is_not_recommended_again(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    items = await a_catalog(hub, org)
    group = await a_group(hub, org, "Repeaters", interests=["history"])
    await a_plan(hub, group, carla, ("visit", "Belém walk", items["Belém Monuments Walking Tour"]))

    assert "Belém Monuments Walking Tour" not in names(await recommend_for_group(indexes, org.id, group.id, k=20))


async def test_what_similar_groups_booked_lifts_an_item(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    items = await a_catalog(hub, org)
    belem, tiles = items["Belém Monuments Walking Tour"], items["National Tile Museum visit"]
    fado, tasting = items["Fado night in Alfama"], items["Gourmet food and wine tasting tour"]
    ours = await a_group(hub, org, "Ours")
    await a_plan(hub, ours, carla, ("visit", "Belém walk", belem))
    before = names(await recommend_for_group(indexes, org.id, ours.id, k=10))
    # Two earlier groups booked the Belém walk and the tasting tour together.
    for n in range(2):
        earlier = await a_group(hub, org, f"Earlier {n}", start=date(2026, 10, 5), end=date(2026, 10, 8))
        await a_plan(
            hub, earlier, carla, ("visit", "Belém", belem), ("visit", "Tasting", tasting), ("visit", "Tiles", tiles)
        )
    unrelated = await a_group(hub, org, "Unrelated")
    await a_plan(hub, unrelated, carla, ("visit", "Fado", fado))

    after = await recommend_for_group(indexes, org.id, ours.id, k=10)

    assert names(after).index(tasting.name) < before.index(tasting.name)
    lifted = next(r for r in after if r.name == tasting.name)
    assert lifted.reason.startswith("Often booked by groups who also did Belém walk")


async def test_mmr_does_not_fill_the_list_with_near_duplicates(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    towers = [
        an_item(
            "tour",
            f"Belém Tower guided visit {variant}",
            tags=["history", "tower", "monument"],
            description="Guided visit of the 16th-century Belém Tower on the Tagus",
        )
        for variant in ("morning", "afternoon", "with skip-the-line", "in small group", "with audio guide")
    ]
    others = [
        an_item(
            "tour",
            "Jerónimos Monastery cloister tour",
            tags=["history", "monastery"],
            description="The Manueline cloister a short walk from Belém Tower",
        ),
        an_item("tour", "Discoveries Monument and Belém riverside walk", tags=["history", "monument"]),
        an_item("tour", "Castle of São Jorge tour", tags=["history", "castle"]),
        an_item("tour", "Royal palaces of Lisbon", tags=["history", "palace"]),
    ]
    await a_catalog(hub, org, [*towers, *others])
    group = await a_group(hub, org, "Towers", interests=["Belém Tower"])

    top5 = names(await recommend_for_group(indexes, org.id, group.id, k=5))

    assert top5[0].startswith("Belém Tower")
    assert sum(name.startswith("Belém Tower") for name in top5) <= 2


async def test_near_keeps_close_items_and_says_how_far(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Staying in Chiado")
    chiado, belem = (38.7105, -9.1420), (38.6975, -9.2032)

    tonight = await recommend_for_group(indexes, org.id, group.id, kind="restaurant", near=chiado, at_time="20:00")
    around_belem = await recommend_for_group(indexes, org.id, group.id, near=belem)

    assert all(r.distance_km is not None and r.distance_km <= 3 for r in tonight)
    ao26 = next(r for r in tonight if r.name == "Ao 26 Vegan Food Project")
    assert ao26.reason.endswith("open until 23:00; 60 m away")
    assert names(around_belem) == ["Belém Monuments Walking Tour"]


async def test_unpriced_items_are_free_and_decimal_prices_compare_per_person(hub: Hub, indexes: CatalogIndexes) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org, [an_item("activity", "Free walking tour", price=Decimal("0"))])
    group = await a_group(hub, org, "Budget")
    assert names(await recommend_for_group(indexes, org.id, group.id, max_price=0)) == ["Free walking tour"]
