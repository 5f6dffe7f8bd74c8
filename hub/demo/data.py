"""Demo organization and users for `make run`. Idempotent: running it twice creates nothing twice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.kernel.security import Principal, Role
from domains.models import User
from domains.organizations.service import OrganizationService
from domains.users.schemas import UserCreate
from domains.users.service import UserService
from hub.demo.catalog import seed_catalog, seed_interests_and_history
from hub.demo.week import seed_week

DEMO_ORG_SLUG = "demo"
DEMO_ORG_NAME = "Demo Tours"
DEMO_PEOPLE: list[tuple[Role, str]] = [
    (Role.ADMIN, "Alex Admin"),
    (Role.DISPATCHER, "Dana Dispatcher"),
    (Role.COORDINATOR, "Carla Coordinator"),
    (Role.GUIDE, "Ana Guide"),
    (Role.DRIVER, "Diego Driver"),
    (Role.TRAVELER, "Tom Traveler"),
    (Role.PARTNER, "Hotel Partner"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    created: bool


def demo_email(role: Role) -> str:
    return f"{role.value}@demo.spirithub.example"


async def seed_demo(hub: Hub) -> list[DemoLogin]:
    password = hub.settings.demo_password
    logins: list[DemoLogin] = []
    async with hub.unit_of_work() as uow:
        org = await OrganizationService(uow.session, uow.bus).ensure_organization(DEMO_ORG_SLUG, DEMO_ORG_NAME)
        users = UserService(uow.session, uow.bus)
        for role, name in DEMO_PEOPLE:
            email = demo_email(role)
            exists = await users.find_by_email(email) is not None
            if not exists:
                await users.create_user(org.id, UserCreate(email=email, name=name, role=role, password=password))
            logins.append(DemoLogin(email=email, password=password, role=role.value, created=not exists))
    async with hub.unit_of_work(org.id) as uow:
        admin_id = await uow.session.scalar(select(User.id).where(User.email == demo_email(Role.ADMIN)))
        assert admin_id is not None
        await seed_week(uow, org.id, hub.clock().date(), hub.tokens.secret, admin_id)
    async with hub.unit_of_work(org.id) as uow:
        await seed_catalog(uow, org.id, hub.clock().date())
    async with hub.unit_of_work(org.id) as uow:
        carla_id = await uow.session.scalar(select(User.id).where(User.email == demo_email(Role.COORDINATOR)))
        carla = Principal(user_id=carla_id or admin_id, org_id=org.id, role=Role.COORDINATOR, session_id=uuid.uuid4())
        await seed_interests_and_history(uow, org.id, hub.clock().date(), carla)
    return logins
