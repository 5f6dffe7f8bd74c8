"""A restaurant whose dinner moves in the itinerary hears about it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.models import Notification
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.schemas import PartnerCreate, RestaurantVoucherCreate
from domains.vouchers.service import VoucherService
from hub.wiring import subscribe
from tests.support.builders import a_tour_group
from tests.support.itinerary_steps import add, apply, new_id


async def test_moving_a_dinner_notifies_the_restaurant_of_its_voucher(hub: Hub) -> None:
    subscribe(hub)
    lisbon = await a_tour_group(hub)
    async with hub.unit_of_work(lisbon.org.id) as uow:
        vouchers = VoucherService(uow.session, uow.bus, VoucherCodes.from_secret(hub.tokens.secret))
        patio = await vouchers.add_partner(
            lisbon.org.id, PartnerCreate(name="O Pátio", kind="restaurant", email="mesa@opatio.example")
        )
        dinner = await vouchers.issue(
            lisbon.group.id,
            RestaurantVoucherCreate(date=date(2027, 4, 11), time="20:00", meal_type="dinner", partner_id=patio.id),
            lisbon.coordinator.user.id,
        )
    item = new_id()
    await apply(hub, lisbon.coordinator, lisbon.group.id, add("2027-04-11", "Dinner", item_id=item, start="20:00"))
    await apply(
        hub, lisbon.coordinator, lisbon.group.id,
        {"type": "set_fields", "item_id": item, "fields": {"voucher_id": str(dinner.id)}},
    )  # fmt: skip
    await apply(
        hub, lisbon.coordinator, lisbon.group.id, {"type": "set_fields", "item_id": item, "fields": {"start": "21:00"}}
    )

    async with hub.unit_of_work(lisbon.org.id) as uow:
        to_restaurant = (
            (
                await uow.session.execute(
                    select(Notification).where(
                        Notification.recipient == "mesa@opatio.example", Notification.category == "itinerary.changed"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert len(to_restaurant) >= 1
    assert all(n.channel == "email" for n in to_restaurant)
