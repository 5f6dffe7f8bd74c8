"""`/api/v1/users`: the organization's people (admins manage, staff read)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.kernel.security import Role
from domains.users.schemas import UserCreate, UserOut
from domains.users.service import user_out
from web.deps import IdentityDep, ServicesDep
from web.guards import ADMINS, OFFICE


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/", guards=[OFFICE])
    async def list_users(self, services: ServicesDep, role: FromQuery[Role | None] = None) -> list[UserOut]:
        return [user_out(user) for user in await services.users.list_users(role)]

    @get("/{user_id:uuid}", guards=[OFFICE])
    async def get_user(self, user_id: FromPath[uuid.UUID], services: ServicesDep) -> UserOut:
        return user_out(await services.users.get(user_id))

    @post("/", guards=[ADMINS])
    async def create_user(self, data: JSONBody[UserCreate], identity: IdentityDep, services: ServicesDep) -> UserOut:
        return user_out(await services.users.create_user(identity.principal.org_id, data))
