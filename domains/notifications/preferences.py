"""Recipient preferences: channels, language, quiet hours in their own timezone, opt-out."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.db import utcnow
from domains.kernel.errors import Invalid, NotFound
from domains.models import NotificationPreference, Partner, StaffMember, User
from domains.notifications.schemas import PreferenceIn
from domains.notifications.templates import LANGUAGES

RECIPIENT_KINDS = ("staff", "partner", "user")
CHANNELS = ("email", "sms")


def parse_window(window: str) -> tuple[time, time]:
    """'21:00-08:00' → (21:00, 08:00); Invalid with the reason otherwise."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in window.split("-"))
    except ValueError:
        raise Invalid(f"quiet hours must look like 21:00-08:00, not {window!r}") from None
    return start, end


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_release(now: datetime, timezone: str | None, window: str) -> datetime | None:
    """When quiet hours end, if `now` falls inside them in the recipient's timezone; None otherwise."""
    start, end = parse_window(window)
    if start == end:
        return None
    local = now.astimezone(zone(timezone))
    moment = local.time()
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    release = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    return release.astimezone(UTC)


class PreferenceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, kind: str, recipient_id: uuid.UUID) -> NotificationPreference | None:
        return await self.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.recipient_kind == kind, NotificationPreference.recipient_id == recipient_id
            )
        )

    async def get(self, kind: str, recipient_id: uuid.UUID) -> NotificationPreference:
        await self._recipient(kind, recipient_id)
        preference = await self.find(kind, recipient_id)
        if preference is None:
            raise NotFound("no preferences stored for this recipient")
        return preference

    async def list(self) -> Sequence[NotificationPreference]:
        query = select(NotificationPreference).order_by(NotificationPreference.recipient_kind)
        return (await self.session.execute(query)).scalars().all()

    async def put(self, kind: str, recipient_id: uuid.UUID, data: PreferenceIn) -> NotificationPreference:
        org_id = await self._recipient(kind, recipient_id)
        unknown = sorted(set(data.channels) - set(CHANNELS))
        if unknown:
            raise Invalid(f"channels: unknown channel(s) {', '.join(unknown)}; use email and/or sms")
        if data.language is not None and data.language not in LANGUAGES:
            raise Invalid(f"language: one of {', '.join(LANGUAGES)}")
        if data.timezone is not None and zone(data.timezone).key != data.timezone:
            raise Invalid(f"timezone: unknown timezone {data.timezone!r}")
        if (data.quiet_start is None) != (data.quiet_end is None):
            raise Invalid("quiet_start and quiet_end go together")
        if data.quiet_start is not None:
            parse_window(f"{data.quiet_start}-{data.quiet_end}")
        preference = await self.find(kind, recipient_id)
        if preference is None:
            preference = NotificationPreference(
                id=uuid.uuid4(), org_id=org_id, recipient_kind=kind, recipient_id=recipient_id
            )
            self.session.add(preference)
        preference.channels = list(dict.fromkeys(data.channels))
        preference.language, preference.timezone = data.language, data.timezone
        preference.quiet_start, preference.quiet_end = data.quiet_start, data.quiet_end
        preference.opted_out, preference.updated_at = data.opted_out, utcnow()
        await self.session.flush()
        return preference

    async def delete(self, kind: str, recipient_id: uuid.UUID) -> None:
        preference = await self.get(kind, recipient_id)
        await self.session.delete(preference)
        await self.session.flush()

    async def opt_out(self, org_id: uuid.UUID, kind: str, recipient_id: uuid.UUID) -> None:
        """An SMS 'STOP': the person hears nothing more until the office turns it back on."""
        preference = await self.find(kind, recipient_id)
        if preference is None:
            preference = NotificationPreference(
                id=uuid.uuid4(), org_id=org_id, recipient_kind=kind, recipient_id=recipient_id, channels=[]
            )
            self.session.add(preference)
        preference.opted_out, preference.updated_at = True, utcnow()
        await self.session.flush()

    async def _recipient(self, kind: str, recipient_id: uuid.UUID) -> uuid.UUID:
        if kind == "staff":
            query = select(StaffMember.org_id).where(StaffMember.id == recipient_id)
        elif kind == "partner":
            query = select(Partner.org_id).where(Partner.id == recipient_id)
        elif kind == "user":
            query = select(User.org_id).where(User.id == recipient_id)
        else:
            raise Invalid(f"recipient kind must be one of {', '.join(RECIPIENT_KINDS)}")
        org_id: uuid.UUID | None = await self.session.scalar(query)
        if org_id is None:
            raise NotFound(f"{kind} not found")
        return org_id
