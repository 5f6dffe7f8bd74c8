"""`/api/v1/outbox` (admin): what was sent to whom, and how it went; `/api/v1/notifications/...`:
recipient preferences (office) and the organization's sender addresses (admin)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Literal

from litestar import Controller, Response, delete, get, put
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import select

from domains.kernel.errors import Invalid, NotFound
from domains.kernel.lookup import get_scoped
from domains.models import Notification, NotificationPreference
from domains.notifications.addresses import BadAddress, email_address
from domains.notifications.schemas import (
    NotificationDetail,
    NotificationOut,
    PreferenceIn,
    PreferenceOut,
    SenderIn,
    SenderOut,
    SmsSenderIn,
    SmsSenderOut,
)
from domains.notifications.senders import CATEGORY_DESKS, DESKS
from web.deps import IdentityDep, OutboxDep, ServicesDep, UowDep
from web.guards import ADMINS, OFFICE
from web.params import QueryInt

Kind = Literal["staff", "partner", "user"]
Status = Literal["pending", "sent", "delivered", "failed", "dead", "skipped"]


def notification_out(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=str(row.id), category=row.category, channel=row.channel, recipient=row.recipient, subject=row.subject,
        status=row.status, attempts=row.attempts, language=row.language, created_at=row.created_at,
        next_attempt_at=row.next_attempt_at, sent_at=row.sent_at, last_error=row.last_error, note=row.note,
        provider=row.provider, provider_status=row.provider_status, sender=row.sender, reply_to=row.reply_to,
    )  # fmt: skip


def preference_out(row: NotificationPreference) -> PreferenceOut:
    return PreferenceOut(
        recipient_kind=row.recipient_kind, recipient_id=str(row.recipient_id), channels=list(row.channels),
        language=row.language, timezone=row.timezone, quiet_start=row.quiet_start, quiet_end=row.quiet_end,
        opted_out=row.opted_out,
    )  # fmt: skip


class OutboxController(Controller):
    path = "/outbox"
    tags = ["notifications"]
    guards = [ADMINS]

    @get("/")
    async def list_outbox(
        self,
        uow: UowDep,
        status: FromQuery[Status | None] = None,
        channel: FromQuery[Literal["email", "sms"] | None] = None,
        limit: QueryInt = 100,
    ) -> list[NotificationOut]:
        """The most recent notifications first, with their delivery status."""
        if not 1 <= limit <= 500:
            raise Invalid("limit must be between 1 and 500")
        query = select(Notification).order_by(Notification.created_at.desc(), Notification.id).limit(limit)
        if status is not None:
            query = query.where(Notification.status == status)
        if channel is not None:
            query = query.where(Notification.channel == channel)
        return [notification_out(row) for row in (await uow.session.execute(query)).scalars()]

    @get("/{notification_id:uuid}")
    async def get_notification(
        self, notification_id: FromPath[uuid.UUID], uow: UowDep, outbox: OutboxDep
    ) -> NotificationDetail:
        row = await get_scoped(uow.session, Notification, notification_id, "notification")
        file = outbox.find(row.id)
        return NotificationDetail(
            **{field: getattr(notification_out(row), field) for field in NotificationOut.__struct_fields__},
            body=row.body, html_body=row.html_body, idempotency_key=row.idempotency_key, event_name=row.event_name,
            group_id=str(row.group_id) if row.group_id else None,
            assignment_id=str(row.assignment_id) if row.assignment_id else None,
            voucher_id=str(row.voucher_id) if row.voucher_id else None,
            provider_message_id=row.provider_message_id, file=file.name if file else None,
        )  # fmt: skip

    @get("/{notification_id:uuid}/file")
    async def get_file(self, notification_id: FromPath[uuid.UUID], uow: UowDep, outbox: OutboxDep) -> Response[bytes]:
        """The message exactly as the local outbox wrote it (`.eml` opens in any mail program)."""
        row = await get_scoped(uow.session, Notification, notification_id, "notification")
        file = outbox.find(row.id)
        if file is None:
            raise NotFound("this notification was not written to the local outbox")
        media_type = "message/rfc822" if file.suffix == ".eml" else "text/plain; charset=utf-8"
        content = await asyncio.to_thread(file.read_bytes)
        return Response(
            content, media_type=media_type, headers={"Content-Disposition": f'inline; filename="{file.name}"'}
        )


class NotificationSettingsController(Controller):
    path = "/notifications"
    tags = ["notifications"]

    @get("/preferences", guards=[OFFICE])
    async def list_preferences(self, services: ServicesDep) -> list[PreferenceOut]:
        return [preference_out(row) for row in await services.preferences.list()]

    @get("/preferences/{kind:str}/{recipient_id:uuid}", guards=[OFFICE])
    async def get_preference(
        self, kind: FromPath[Kind], recipient_id: FromPath[uuid.UUID], services: ServicesDep
    ) -> PreferenceOut:
        return preference_out(await services.preferences.get(kind, recipient_id))

    @put("/preferences/{kind:str}/{recipient_id:uuid}", guards=[OFFICE])
    async def put_preference(
        self,
        kind: FromPath[Kind],
        recipient_id: FromPath[uuid.UUID],
        data: JSONBody[PreferenceIn],
        services: ServicesDep,
    ) -> PreferenceOut:
        """Set how this staff member, partner or user hears from us (channels, language, quiet hours, opt-out)."""
        return preference_out(await services.preferences.put(kind, recipient_id, data))

    @delete("/preferences/{kind:str}/{recipient_id:uuid}", guards=[OFFICE], status_code=204)
    async def delete_preference(
        self, kind: FromPath[Kind], recipient_id: FromPath[uuid.UUID], services: ServicesDep
    ) -> None:
        await services.preferences.delete(kind, recipient_id)

    @get("/senders", guards=[ADMINS])
    async def list_senders(self, identity: IdentityDep, services: ServicesDep) -> list[SenderOut]:
        """Each desk's sender address and the message categories it sends."""
        addresses = await services.senders.addresses(identity.principal.org_id)
        return [
            SenderOut(
                desk=desk, email=email, name=name, categories=[c for c, (d, _) in CATEGORY_DESKS.items() if d == desk]
            )
            for desk, (email, name) in addresses.items()
        ]

    @get("/sms-sender", guards=[ADMINS])
    async def get_sms_sender(self, identity: IdentityDep, services: ServicesDep) -> SmsSenderOut:
        """The organization's own SMS number (null: the hub's default sender)."""
        return SmsSenderOut(number=await services.senders.sms_number(identity.principal.org_id))

    @put("/sms-sender", guards=[ADMINS])
    async def put_sms_sender(
        self, data: JSONBody[SmsSenderIn], identity: IdentityDep, services: ServicesDep
    ) -> SmsSenderOut:
        """Send texts from the organization's own number (null: the default sender again); replies to it
        reach this organization only. 409 when it is another organization's number."""
        return SmsSenderOut(number=await services.senders.set_sms_number(identity.principal.org_id, data.number))

    @put("/senders/{desk:str}", guards=[ADMINS])
    async def put_sender(
        self, desk: FromPath[str], data: JSONBody[SenderIn], identity: IdentityDep, services: ServicesDep
    ) -> SenderOut:
        if desk not in DESKS:
            raise Invalid(f"desk must be one of {', '.join(DESKS)}")
        try:
            email = email_address(data.email)
        except BadAddress as exc:
            raise Invalid(str(exc)) from None
        row = await services.senders.set_desk(identity.principal.org_id, desk, email, data.name)
        categories = [c for c, (d, _) in CATEGORY_DESKS.items() if d == desk]
        return SenderOut(desk=row.desk, email=row.email, name=row.name, categories=categories)
