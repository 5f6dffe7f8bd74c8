"""The demo ships a catalog worth recommending from: the demo week's Lisbon group gets sensible suggestions."""

from __future__ import annotations

from sqlalchemy import func, select

from ai.recommend.index import CatalogIndexes
from ai.recommend.recommendations import recommend_for_group
from domains.kernel.runtime import Hub
from domains.models import CatalogItem, Group, Participant
from hub.demo.data import seed_demo


async def test_the_demo_lisbon_group_gets_suggestions_from_what_past_groups_booked(
    hub: Hub, indexes: CatalogIndexes
) -> None:
    await seed_demo(hub)
    async with hub.unit_of_work() as uow:
        group = (await uow.session.execute(select(Group).where(Group.name == "Lisbon Spring Highlights"))).scalar_one()
        items = await uow.session.scalar(select(func.count()).where(CatalogItem.org_id == group.org_id))
        diets = {
            d
            for row in (
                await uow.session.execute(select(Participant.dietary).where(Participant.group_id == group.id))
            ).scalars()
            for d in row
        }
    assert items is not None and items >= 250
    assert group.interests

    suggestions = await recommend_for_group(indexes, group.org_id, group.id, k=8)
    dinner = await recommend_for_group(
        indexes, group.org_id, group.id, kind="restaurant", on_date=group.start_date, at_time="20:00"
    )

    assert {s.city for s in suggestions} <= {"Lisbon", "Sintra"} and len(suggestions) == 8
    assert any(s.reason.startswith("Often booked by groups who also did") for s in suggestions)
    assert dinner and {"vegan", "gluten-free"} <= diets
    assert all("vegan" in s.reason and "gluten-free" in s.reason for s in dinner)
