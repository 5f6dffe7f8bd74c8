"""Alerts: a traveler's emergency or a hand-off, kept for the group's staff until one of them acknowledges it.

Verbs: `raise_alert` (in the unit of work of its cause: the hand-off) and `acknowledge` (idempotent: the
second acknowledgement answers who acknowledged first). Routing to people is `routing.AlertRouting`, which
hears `AlertRaised` in the same transaction; escalation is `escalation.AlertEscalation`, a scheduled job.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Select, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.alerts.events import AlertAcknowledged, AlertRaised
from domains.alerts.people import group_team
from domains.alerts.schemas import AlertOut, DeliveryOut
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Forbidden, NotFound
from domains.kernel.rooms import BOARD, RoomKey, user_room
from domains.kernel.security import OFFICE_ROLES, Principal, Role
from domains.models import Alert, AlertDelivery, Assignment, Group, StaffMember, User

KINDS = ("emergency", "handoff")
MAX_MESSAGE = 500
INBOX_LIMIT = 200
FIELD_ROLES = frozenset({Role.GUIDE, Role.DRIVER})


def kind_of(reason: str) -> str:
    return "emergency" if reason == "emergency" else "handoff"


async def alert_audience(session: AsyncSession, group_id: uuid.UUID) -> tuple[RoomKey, ...]:
    """The board, and each of the group's staff wherever they are signed in (their `user:<id>` room, which
    every connection of theirs is in, so one event reaches each of their tabs once); never a traveler."""
    people = [person.user_id for person in await group_team(session, group_id) if person.user_id]
    return tuple(dict.fromkeys([BOARD, *map(user_room, people)]))


class AlertService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def raise_alert(
        self,
        group: Group,
        key: str,
        reason: str,
        traveler_id: uuid.UUID | None,
        traveler_name: str,
        message: str,
    ) -> Alert:
        """Store the alert (once per `key`, the cause) and announce it; routing hears it in this transaction."""
        known = await self.session.scalar(select(Alert).where(Alert.key == key))
        if known is not None:
            return known
        alert = Alert(
            id=uuid.uuid4(), org_id=group.org_id, key=key, group_id=group.id, kind=kind_of(reason), reason=reason,
            traveler_id=traveler_id, traveler_name=traveler_name, message=message[:MAX_MESSAGE],
            created_at=utcnow(),
        )  # fmt: skip
        try:
            async with self.session.begin_nested():
                self.session.add(alert)
        except IntegrityError:
            raced = await self.session.scalar(select(Alert).where(Alert.key == key))
            assert raced is not None
            return raced
        view = (await self.views([alert]))[0]
        self.bus.publish(
            AlertRaised(
                org_id=group.org_id,
                audience=await alert_audience(self.session, group.id),
                alert_id=alert.id,
                group_id=group.id,
                alert=view_payload(view),
            )
        )
        return alert

    async def acknowledge(self, principal: Principal, alert_id: uuid.UUID) -> AlertOut:
        """Record who acknowledged and when; once. A second acknowledgement changes nothing and answers with
        the first one."""
        alert = await self._visible(principal, alert_id)
        name = await self.session.scalar(select(User.name).where(User.id == principal.user_id)) or ""
        now = utcnow()
        claimed = await self.session.execute(
            update(Alert)
            .where(Alert.id == alert.id, Alert.acknowledged_at.is_(None))
            .values(acknowledged_by=principal.user_id, acknowledged_by_name=name, acknowledged_at=now,
                    next_escalation_at=None)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        await self.session.refresh(alert)
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            self.bus.publish(
                AlertAcknowledged(
                    org_id=alert.org_id,
                    audience=await alert_audience(self.session, alert.group_id),
                    alert_id=alert.id,
                    group_id=alert.group_id,
                    acknowledged_by=principal.user_id,
                    acknowledged_by_name=name,
                    acknowledged_at=now.isoformat(),
                )
            )
        return (await self.views([alert]))[0]

    async def get(self, principal: Principal, alert_id: uuid.UUID) -> AlertOut:
        return (await self.views([await self._visible(principal, alert_id)]))[0]

    async def inbox(
        self, principal: Principal, open_only: bool = True, group_id: uuid.UUID | None = None
    ) -> list[AlertOut]:
        """The alerts of the groups this person works (all of them for the office), open ones first, newest
        first."""
        query = select(Alert)
        if principal.role in FIELD_ROLES:
            query = query.where(Alert.group_id.in_(self._groups_of(principal)))
        elif principal.role not in OFFICE_ROLES:
            raise Forbidden("alerts are for the group's staff")
        if open_only:
            query = query.where(Alert.acknowledged_at.is_(None))
        if group_id is not None:
            query = query.where(Alert.group_id == group_id)
        query = query.order_by(Alert.acknowledged_at.is_not(None), Alert.created_at.desc()).limit(INBOX_LIMIT)
        return await self.views(list((await self.session.execute(query)).scalars()))

    async def views(self, alerts: Sequence[Alert]) -> list[AlertOut]:
        ids = [alert.id for alert in alerts]
        groups = {
            group.id: group
            for group in (
                await self.session.execute(select(Group).where(Group.id.in_({a.group_id for a in alerts})))
            ).scalars()
        }
        told: dict[uuid.UUID, list[DeliveryOut]] = {alert_id: [] for alert_id in ids}
        for row in (
            await self.session.execute(
                select(AlertDelivery)
                .where(AlertDelivery.alert_id.in_(ids))
                .order_by(AlertDelivery.level, AlertDelivery.created_at, AlertDelivery.name)
            )
        ).scalars():
            told[row.alert_id].append(DeliveryOut(row.name, row.role, row.channel, row.level, row.created_at))
        return [alert_out(alert, groups[alert.group_id], told[alert.id]) for alert in alerts]

    def _groups_of(self, principal: Principal) -> Select[Any]:
        return (
            select(Assignment.group_id)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .where(StaffMember.user_id == principal.user_id, Assignment.status != "declined")
        )

    async def _visible(self, principal: Principal, alert_id: uuid.UUID) -> Alert:
        """The alert, if this person is of the office or works its group; otherwise it does not exist."""
        if principal.role not in OFFICE_ROLES | FIELD_ROLES:
            raise Forbidden("alerts are for the group's staff")
        alert = await self.session.get(Alert, alert_id)
        if alert is None or alert.org_id != principal.org_id:
            raise NotFound("alert not found")
        if principal.role in FIELD_ROLES and not await self.session.scalar(
            select(exists(self._groups_of(principal).where(Assignment.group_id == alert.group_id)))
        ):
            raise NotFound("alert not found")
        return alert


def alert_out(alert: Alert, group: Group, deliveries: list[DeliveryOut]) -> AlertOut:
    return AlertOut(
        id=alert.id, group_id=alert.group_id, group_number=group.number, group_name=group.name, kind=alert.kind,
        reason=alert.reason, traveler_name=alert.traveler_name, message=alert.message, created_at=alert.created_at,
        level=alert.level, acknowledged=alert.acknowledged_at is not None, acknowledged_by=alert.acknowledged_by,
        acknowledged_by_name=alert.acknowledged_by_name, acknowledged_at=alert.acknowledged_at,
        deliveries=deliveries,
    )  # fmt: skip


def view_payload(view: AlertOut) -> dict[str, Any]:
    payload: dict[str, Any] = msgspec.to_builtins(view)
    return payload
