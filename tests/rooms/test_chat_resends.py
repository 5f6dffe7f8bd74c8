"""A coordinator's phone resends a message over two connections at once: it is stored once, and no seq is lost."""

from __future__ import annotations

import asyncio
import uuid

from domains.conversations.service import ConversationService
from domains.conversations.views import MessageView
from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from tests.support.builders import a_tour_group


async def test_the_same_message_racing_in_twice_is_stored_once_and_leaves_no_gap(hub: Hub) -> None:
    lisbon = await a_tour_group(hub)
    carla = Principal(lisbon.coordinator.user.id, lisbon.org.id, Role.COORDINATOR, uuid.uuid4())

    async def send(client_id: str, text: str) -> MessageView:
        async with hub.unit_of_work(lisbon.org.id) as uow:
            return await ConversationService(uow.session, uow.bus).post_message(
                carla, "Carla", lisbon.room, client_id, text
            )

    copies = await asyncio.gather(*(send("bus-time", "Bus leaves at 8:30") for _ in range(4)))
    following = await send("next", "Bring water")

    assert len({copy.id for copy in copies}) == 1
    assert following.seq == copies[0].seq + 1
    async with hub.unit_of_work(lisbon.org.id) as uow:
        service = ConversationService(uow.session, uow.bus)
        history = await service.history(lisbon.room, None, 10)
        replay = await service.replay(lisbon.room, 0)
    assert [(m.text, m.seq) for m in history] == [("Bus leaves at 8:30", 1), ("Bring water", 2)]
    assert [event["seq"] for event in replay.events] == [1, 2]
