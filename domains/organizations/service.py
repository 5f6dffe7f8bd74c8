"""Organizations (tour operators): the tenants."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.errors import Conflict, Invalid, NotFound
from domains.kernel.rooms import org_room
from domains.models import Organization
from domains.organizations.events import OrganizationCreated, TotpPolicyChanged

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class OrganizationService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def get(self, org_id: uuid.UUID) -> Organization:
        org = await self.session.get(Organization, org_id)
        if org is None:
            raise NotFound("organization not found")
        return org

    async def find_by_slug(self, slug: str) -> Organization | None:
        result = await self.session.execute(select(Organization).where(Organization.slug == slug))
        return result.scalar_one_or_none()

    async def create_organization(self, slug: str, name: str, timezone: str = "UTC") -> Organization:
        if not SLUG.match(slug):
            raise Invalid("an organization slug is 1-64 lowercase letters, digits and dashes")
        if await self.find_by_slug(slug) is not None:
            raise Conflict(f"organization {slug!r} already exists")
        org = Organization(id=uuid.uuid4(), slug=slug, name=name.strip() or slug, timezone=timezone)
        self.session.add(org)
        await self.session.flush()
        self.bus.publish(OrganizationCreated(org_id=org.id, slug=slug))
        return org

    async def ensure_organization(self, slug: str, name: str) -> Organization:
        """The organization with this slug, created when missing (seeding and the CLI)."""
        return await self.find_by_slug(slug) or await self.create_organization(slug, name)

    async def set_totp_policy(self, org_id: uuid.UUID, require_totp_for_staff: bool) -> Organization:
        org = await self.get(org_id)
        org.require_totp_for_staff = require_totp_for_staff
        self.bus.publish(
            TotpPolicyChanged(
                org_id=org_id, audience=(org_room(org_id),), require_totp_for_staff=require_totp_for_staff
            )
        )
        return org
