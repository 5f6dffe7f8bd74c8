"""Events leave only after commit; a rollback drops them."""

from __future__ import annotations

import pytest

from domains.kernel.bus import capture_events
from domains.kernel.errors import Conflict
from domains.kernel.runtime import Hub
from domains.organizations.events import OrganizationCreated
from domains.organizations.service import OrganizationService


async def test_events_are_dispatched_after_commit(hub: Hub) -> None:
    heard_during_work: list[object] = []
    with capture_events(hub.subscribers) as events:
        async with hub.unit_of_work() as uow:
            await OrganizationService(uow.session, uow.bus).create_organization("evora-walks-1", "Évora Walks")
            heard_during_work.extend(events)

    assert heard_during_work == []
    assert [type(event) for event in events] == [OrganizationCreated]
    assert events[0].payload()["slug"] == "evora-walks-1"


async def test_a_rolled_back_change_publishes_nothing(hub: Hub) -> None:
    with capture_events(hub.subscribers) as events, pytest.raises(RuntimeError):
        async with hub.unit_of_work() as uow:
            await OrganizationService(uow.session, uow.bus).create_organization("faro-boats-1", "Faro Boats")
            raise RuntimeError("the boundary failed after the change")

    assert events == []
    async with hub.unit_of_work() as uow:
        assert await OrganizationService(uow.session, uow.bus).find_by_slug("faro-boats-1") is None


async def test_a_domain_error_rolls_back(hub: Hub) -> None:
    async with hub.unit_of_work() as uow:
        await OrganizationService(uow.session, uow.bus).create_organization("braga-bikes-1", "Braga Bikes")
    with capture_events(hub.subscribers) as events, pytest.raises(Conflict):
        async with hub.unit_of_work() as uow:
            service = OrganizationService(uow.session, uow.bus)
            await service.create_organization("braga-bikes-2", "Braga Bikes 2")
            await service.create_organization("braga-bikes-1", "Braga Bikes again")
    assert events == []
    async with hub.unit_of_work() as uow:
        assert await OrganizationService(uow.session, uow.bus).find_by_slug("braga-bikes-2") is None


async def test_a_failing_subscriber_does_not_stop_the_others(hub: Hub) -> None:
    async def broken(_: object) -> None:
        raise ValueError("subscriber bug")

    hub.subscribers.subscribe(broken, OrganizationCreated)
    try:
        with capture_events(hub.subscribers) as events:
            async with hub.unit_of_work() as uow:
                await OrganizationService(uow.session, uow.bus).create_organization("coimbra-1", "Coimbra")
    finally:
        hub.subscribers.unsubscribe(broken)
    assert len(events) == 1


async def test_transactional_subscribers_write_with_the_change_or_not_at_all(hub: Hub) -> None:
    from sqlalchemy import select

    from domains.models import Organization

    written: list[str] = []

    async def record_in_same_transaction(event: object, session: object) -> None:
        assert isinstance(event, OrganizationCreated)
        written.append(event.slug)

    hub.subscribers.subscribe_in_transaction(record_in_same_transaction)
    try:
        async with hub.unit_of_work() as uow:
            await OrganizationService(uow.session, uow.bus).create_organization("sintra-1", "Sintra")
        with pytest.raises(Conflict):
            async with hub.unit_of_work() as uow:
                await OrganizationService(uow.session, uow.bus).create_organization("sintra-2", "Sintra 2")
                await OrganizationService(uow.session, uow.bus).create_organization("sintra-1", "again")
    finally:
        hub.subscribers.unsubscribe(record_in_same_transaction)
    assert written == ["sintra-1"]
    async with hub.unit_of_work() as uow:
        slugs = set((await uow.session.execute(select(Organization.slug))).scalars())
    assert "sintra-1" in slugs and "sintra-2" not in slugs
