"""The dispatch board: groups in a date window, who works them, what they still lack, and their open alerts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.alerts.schemas import AlertOut
from domains.alerts.service import AlertService
from domains.kernel.bus import EventBus
from domains.models import Alert, Assignment, Group, StaffMember
from domains.reminders.cadence import cadence_for
from domains.reminders.completeness import CRITICAL, MissingItem, area_status, missing_for


@dataclass
class BoardRow:
    group: Group
    people: list[dict[str, Any]] = field(default_factory=list)
    missing: list[MissingItem] = field(default_factory=list)
    alerts: list[AlertOut] = field(default_factory=list)  # unacknowledged, newest first

    @property
    def areas(self) -> dict[str, str]:
        return area_status(self.missing)

    def cadence(self, today: date) -> str | None:
        days_left = (self.group.start_date - today).days
        if not self.missing or days_left < 0:
            return None
        return cadence_for(days_left, any(item.severity == CRITICAL for item in self.missing)).name


async def board_rows(session: AsyncSession, start: date, end: date) -> list[BoardRow]:
    groups = (
        (
            await session.execute(
                select(Group)
                .where(Group.end_date >= start, Group.start_date <= end, Group.status != "cancelled")
                .order_by(Group.start_date, Group.number)
            )
        )
        .scalars()
        .all()
    )
    rows = {group.id: BoardRow(group=group) for group in groups}
    people: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for assignment, staff in (
        await session.execute(
            select(Assignment, StaffMember)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .where(Assignment.group_id.in_(list(rows)), Assignment.status != "declined")
            .order_by(Assignment.role, Assignment.start_date)
        )
    ).all():
        people[assignment.group_id].append(
            {
                "assignment_id": str(assignment.id),
                "staff_id": str(staff.id),
                "user_id": str(staff.user_id) if staff.user_id else None,
                "name": staff.name,
                "role": assignment.role,
                "primary": assignment.is_primary,
                "status": assignment.status,
                "start_date": assignment.start_date.isoformat(),
                "end_date": assignment.end_date.isoformat(),
            }
        )
    for group_id, items in (await missing_for(session, groups)).items():
        rows[group_id].missing = items
        rows[group_id].people = people[group_id]
    for alert in await open_alerts(session, list(rows)):
        rows[alert.group_id].alerts.append(alert)
    return list(rows.values())


async def open_alerts(session: AsyncSession, group_ids: list[Any] | None = None) -> list[AlertOut]:
    """Unacknowledged alerts, newest first: of these groups, or of every group of the organization."""
    query = select(Alert).where(Alert.acknowledged_at.is_(None)).order_by(Alert.created_at.desc())
    if group_ids is not None:
        query = query.where(Alert.group_id.in_(group_ids))
    alerts = list((await session.execute(query)).scalars())
    # Reading needs no bus: nothing is published.
    return await AlertService(session, EventBus()).views(alerts)
