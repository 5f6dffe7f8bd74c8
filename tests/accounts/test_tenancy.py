"""Two tour operators share the hub; neither ever sees the other's rows."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import User
from domains.users.service import UserService
from tests.support.builders import a_person, an_organization, bearer, sign_in


async def test_an_admin_sees_only_her_own_organizations_people(http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon = await an_organization(hub, "Lisbon Tours")
    porto = await an_organization(hub, "Porto Trips")
    alex = await a_person(hub, lisbon, Role.ADMIN, "Alex")
    await a_person(hub, lisbon, Role.GUIDE, "Ana")
    pedro = await a_person(hub, porto, Role.GUIDE, "Pedro")
    headers = bearer(await sign_in(http, alex))

    listed = (await http.get("/api/v1/users", headers=headers)).json()
    assert {user["org_id"] for user in listed} == {str(lisbon.id)}
    assert pedro.email not in {user["email"] for user in listed}
    # Another organization's user is simply not found.
    assert (await http.get(f"/api/v1/users/{pedro.user.id}", headers=headers)).status_code == 404


async def test_an_email_taken_in_another_organization_is_a_conflict_not_a_crash(
    http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon = await an_organization(hub, "Lisbon Tours")
    porto = await an_organization(hub, "Porto Trips")
    alex = await a_person(hub, lisbon, Role.ADMIN, "Alex")
    pedro = await a_person(hub, porto, Role.GUIDE, "Pedro")
    body = {"email": pedro.email, "name": "Copycat", "role": "guide", "password": "long enough password"}

    response = await http.post("/api/v1/users", json=body, headers=bearer(await sign_in(http, alex)))

    assert response.status_code == 409


async def test_a_scoped_unit_of_work_filters_every_query(hub: Hub) -> None:
    lisbon = await an_organization(hub, "Lisbon Tours")
    porto = await an_organization(hub, "Porto Trips")
    await a_person(hub, lisbon, Role.GUIDE, "Ana")
    pedro = await a_person(hub, porto, Role.GUIDE, "Pedro")

    async with hub.unit_of_work(lisbon.id) as uow:
        # Even a query that forgets its `where` sees only Lisbon's rows.
        everyone = (await uow.session.execute(select(User))).scalars().all()
        by_email = await UserService(uow.session, uow.bus).find_by_email(pedro.email)

    assert {user.org_id for user in everyone} == {lisbon.id}
    assert by_email is None
