"""A route's unit of work (`uow`/`services` in web/deps.py): what a handler changes is committed before the
client hears back, undone when the handler fails, and announced only once it is committed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest
from litestar import Litestar, Router, post
from litestar.datastructures import State
from litestar.params import JSONBody
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import select

from domains.auth.service import AuthService
from domains.groups.events import GroupCreated
from domains.groups.schemas import GroupCreate
from domains.kernel.bus import Event
from domains.kernel.errors import Conflict
from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Group, Organization
from hub.wiring import build_assistant, build_web_dependencies
from tests.support.builders import a_person, an_organization
from web.auth import authenticate
from web.deps import IdentityDep, ServicesDep
from web.errors import EXCEPTION_HANDLERS
from web.guards import OFFICE
from web.routes.groups import GroupController


class RefusedButKept(Conflict):
    """Like a replayed refresh token: the answer is an error, and what the service did must stick."""

    keeps_changes = True


@post("/refusals/after-creating-a-group", guards=[OFFICE])
async def create_then_refuse(data: JSONBody[GroupCreate], identity: IdentityDep, services: ServicesDep) -> None:
    await services.groups.create_group(identity.principal.org_id, data)
    raise Conflict("refused after creating the group")


@post("/refusals/that-keep-the-group", guards=[OFFICE])
async def create_then_refuse_keeping(data: JSONBody[GroupCreate], identity: IdentityDep, services: ServicesDep) -> None:
    await services.groups.create_group(identity.principal.org_id, data)
    raise RefusedButKept("refused, but the group stays")


@dataclass
class Office:
    """An app with the real groups routes and dependencies, a signed-in coordinator, and what was seen when."""

    org: Organization
    http: httpx.AsyncClient
    # The group names a fresh unit of work could read at the moment each response started.
    readable_at_response: list[set[str]] = field(default_factory=list)
    # For each GroupCreated heard: whether its group was already readable by another unit of work.
    committed_when_heard: list[bool] = field(default_factory=list)


async def readable_group_names(hub: Hub, org_id: uuid.UUID) -> set[str]:
    async with hub.unit_of_work(org_id) as uow:
        return set((await uow.session.execute(select(Group.name))).scalars())


def watching_responses(app: ASGIApp, hub: Hub, org_id: uuid.UUID, seen: list[set[str]]) -> ASGIApp:
    """The app, looking at the database (from another unit of work) just before each response starts."""

    async def watched(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_after_looking(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.append(await readable_group_names(hub, org_id))
            await send(message)

        await app(scope, receive, send_after_looking)

    return watched


@pytest.fixture
async def office(hub: Hub) -> AsyncIterator[Office]:
    org = await an_organization(hub)
    carla = await a_person(hub, org, Role.COORDINATOR, "Carla")
    async with hub.unit_of_work() as uow:
        tokens = await AuthService(uow.session, uow.bus, hub.tokens).login(carla.email, carla.password, None)

    app = Litestar(
        route_handlers=[
            Router(
                path="/api/v1",
                guards=[authenticate],
                route_handlers=[GroupController, create_then_refuse, create_then_refuse_keeping],
            )
        ],
        dependencies=build_web_dependencies(hub, build_assistant(hub)),
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"hub": hub}),
    )
    readable_at_response: list[set[str]] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=watching_responses(app, hub, org.id, readable_at_response)),
        base_url="http://office.test",
        headers={"Authorization": f"Bearer {tokens.access_token}"},
    ) as http:
        seen = Office(org=org, http=http, readable_at_response=readable_at_response)

        async def heard(event: Event) -> None:
            assert isinstance(event, GroupCreated)
            async with hub.unit_of_work(org.id) as uow:
                seen.committed_when_heard.append(await uow.session.get(Group, event.group_id) is not None)

        hub.subscribers.subscribe(heard, GroupCreated)
        yield seen


def a_group(name: str) -> dict[str, object]:
    return {"name": name, "start_date": date(2027, 5, 3).isoformat(), "end_date": date(2027, 5, 7).isoformat()}


async def test_a_created_group_is_committed_and_announced_before_the_office_hears_back(office: Office) -> None:
    response = await office.http.post("/api/v1/groups/", json=a_group("Sintra Day Trips"))

    assert response.status_code == 201, response.text
    assert office.readable_at_response == [{"Sintra Day Trips"}]
    assert office.committed_when_heard == [True]
    listed = await office.http.get("/api/v1/groups/")
    assert [group["name"] for group in listed.json()] == ["Sintra Day Trips"]


async def test_a_handler_that_fails_after_a_change_leaves_nothing_behind_and_announces_nothing(office: Office) -> None:
    response = await office.http.post("/api/v1/refusals/after-creating-a-group", json=a_group("Never Happened"))

    assert response.status_code == 409
    assert response.json()["detail"] == "refused after creating the group"
    assert office.readable_at_response == [set()]
    assert office.committed_when_heard == []


async def test_an_error_that_keeps_its_changes_still_commits_them(office: Office) -> None:
    response = await office.http.post("/api/v1/refusals/that-keep-the-group", json=a_group("Kept Anyway"))

    assert response.status_code == 409
    assert office.readable_at_response == [{"Kept Anyway"}]
    assert office.committed_when_heard == [True]
