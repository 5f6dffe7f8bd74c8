"""Sender identities: each message category goes out from one of the organization's desks.

Partners see who writes (bookings@ for vouchers, dispatch@ for staff requests...) and their replies
reach the right desk. Defaults are `<desk>@<HUB_MAIL_DOMAIN>`; an organization overrides any desk.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.db import utcnow
from domains.models import Organization, SenderIdentity

DESKS = ("bookings", "groups", "dispatch", "noreply", "support")
# category prefix → (desk that sends, desk that receives replies)
CATEGORY_DESKS: dict[str, tuple[str, str]] = {
    "voucher": ("bookings", "bookings"),
    "booking": ("bookings", "support"),
    "rooming": ("groups", "groups"),
    "itinerary": ("groups", "groups"),
    "assignment": ("dispatch", "dispatch"),
    "reminder": ("noreply", "support"),
    "escalation": ("noreply", "support"),
    "inbound": ("noreply", "support"),
}
DEFAULT_DESKS = ("noreply", "support")


@dataclass(frozen=True)
class Sender:
    email: str
    name: str
    reply_to: str


def desks_for(category: str) -> tuple[str, str]:
    return CATEGORY_DESKS.get(category.split(".", 1)[0], DEFAULT_DESKS)


class SenderDirectory:
    def __init__(self, session: AsyncSession, mail_domain: str) -> None:
        self.session = session
        self.mail_domain = mail_domain

    async def addresses(self, org_id: uuid.UUID) -> dict[str, tuple[str, str]]:
        """desk → (email, display name), the organization's overrides over the defaults."""
        org_name = await self.session.scalar(select(Organization.name).where(Organization.id == org_id)) or ""
        result = {desk: (f"{desk}@{self.mail_domain}", org_name) for desk in DESKS}
        rows = await self.session.execute(select(SenderIdentity).where(SenderIdentity.org_id == org_id))
        for row in rows.scalars():
            result[row.desk] = (row.email, row.name or org_name)
        return result

    async def for_category(self, org_id: uuid.UUID, category: str) -> Sender:
        sender_desk, reply_desk = desks_for(category)
        addresses = await self.addresses(org_id)
        email, name = addresses[sender_desk]
        return Sender(email=email, name=name, reply_to=addresses[reply_desk][0])

    async def set_desk(self, org_id: uuid.UUID, desk: str, email: str, name: str) -> SenderIdentity:
        row = await self.session.scalar(
            select(SenderIdentity).where(SenderIdentity.org_id == org_id, SenderIdentity.desk == desk)
        )
        if row is None:
            row = SenderIdentity(id=uuid.uuid4(), org_id=org_id, desk=desk, email=email, name=name)
            self.session.add(row)
        else:
            row.email, row.name, row.updated_at = email, name, utcnow()
        await self.session.flush()
        return row

    async def overrides(self, org_id: uuid.UUID) -> Sequence[SenderIdentity]:
        query = select(SenderIdentity).where(SenderIdentity.org_id == org_id).order_by(SenderIdentity.desk)
        return (await self.session.execute(query)).scalars().all()
