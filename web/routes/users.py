"""`/api/v1/users`: the organization's people (admins manage, staff read)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.kernel.security import Role
from domains.users.schemas import UserCreate, UserOut
from domains.users.service import UserService, user_out
from web.deps import HubDep, IdentityDep
from web.guards import roles

STAFF_READERS = roles(Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR)


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/", guards=[STAFF_READERS])
    async def list_users(
        self, identity: IdentityDep, hub: HubDep, role: FromQuery[Role | None] = None
    ) -> list[UserOut]:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return [user_out(user) for user in await UserService(uow.session, uow.bus).list_users(role)]

    @get("/{user_id:uuid}", guards=[STAFF_READERS])
    async def get_user(self, user_id: FromPath[uuid.UUID], identity: IdentityDep, hub: HubDep) -> UserOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return user_out(await UserService(uow.session, uow.bus).get(user_id))

    @post("/", guards=[roles(Role.ADMIN)])
    async def create_user(self, data: JSONBody[UserCreate], identity: IdentityDep, hub: HubDep) -> UserOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return user_out(await UserService(uow.session, uow.bus).create_user(identity.principal.org_id, data))
