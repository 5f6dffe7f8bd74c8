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
from domains.kernel.errors import Conflict, Invalid, NotFound
from domains.models import Organization, SenderIdentity
from domains.notifications.addresses import BadAddress, e164

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

    async def sms_number(self, org_id: uuid.UUID) -> str | None:
        """The organization's own SMS number, or None for the hub's default sender."""
        number: str | None = await self.session.scalar(select(Organization.sms_number).where(Organization.id == org_id))
        return number

    async def set_sms_number(self, org_id: uuid.UUID, number: str | None) -> str | None:
        """Send the organization's texts from `number` (None: from the hub's default sender again).

        A number belongs to one organization: replies to it are routed to that organization alone."""
        if number is not None:
            try:
                number = e164(number)
            except BadAddress as exc:
                raise Invalid(str(exc)) from None
            taken = await self.session.scalar(
                select(Organization.id).where(Organization.sms_number == number, Organization.id != org_id)
            )
            if taken is not None:
                raise Conflict(f"{number} is another organization's SMS number")
        org = await self.session.get(Organization, org_id, with_for_update=True)
        if org is None:
            raise NotFound("organization not found")
        org.sms_number = number
        await self.session.flush()
        return number

    async def overrides(self, org_id: uuid.UUID) -> Sequence[SenderIdentity]:
        query = select(SenderIdentity).where(SenderIdentity.org_id == org_id).order_by(SenderIdentity.desk)
        return (await self.session.execute(query)).scalars().all()
