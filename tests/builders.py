"""Builders with story names: an organization "Lisbon Tours", a dispatcher "Dana"..."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx

from domains.models import Organization, User
from domains.organizations.service import OrganizationService
from domains.users.schemas import UserCreate
from domains.users.service import UserService
from hub.core import Hub
from hub.security import Role

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    user: User
    email: str
    password: str = PASSWORD


async def an_organization(hub: Hub, name: str = "Lisbon Tours") -> Organization:
    slug = f"{name.lower().replace(' ', '-')}-{secrets.token_hex(3)}"
    async with hub.unit_of_work() as uow:
        return await OrganizationService(uow.session, uow.bus).create_organization(slug, name)


async def a_person(hub: Hub, org: Organization, role: Role, name: str) -> Person:
    email = f"{name.lower().replace(' ', '.')}.{secrets.token_hex(3)}@{org.slug}.example"
    async with hub.unit_of_work(org.id) as uow:
        user = await UserService(uow.session, uow.bus).create_user(
            org.id, UserCreate(email=email, name=name, role=role, password=PASSWORD)
        )
    return Person(user=user, email=email)


async def sign_in(http: httpx.AsyncClient, person: Person, totp: str | None = None) -> dict[str, str]:
    body = {"email": person.email, "password": person.password} | ({"totp": totp} if totp else {})
    response = await http.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
