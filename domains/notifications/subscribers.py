"""Domain events → outbox rows, written inside the unit of work that made the change.

`hub.wiring` subscribes each method of `OutboxSubscribers` to its event type with
`Subscribers.subscribe_in_transaction`, so a notification commits together with its cause or not at all.
Each method reads what it needs and calls `NotificationService.notify`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.assignments.events import StaffAssigned
from domains.itineraries.events import ItineraryChanged
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.models import (
    Assignment,
    Group,
    HotelRoom,
    ItineraryItem,
    Notification,
    Partner,
    RoomingList,
    RoomOccupant,
    StaffMember,
    Voucher,
)
from domains.notifications import recipients as who
from domains.notifications.service import Message, NotificationConfig, NotificationService
from domains.reminders.events import ReminderSent
from domains.rooming.events import RoomingListUpdated
from domains.vouchers.events import VoucherTransitioned

# A partner heard about the voucher once it was confirmed, so only then does a cancellation concern them.
PARTNER_KNOWS = ("confirmed", "distributed", "validated")
# Edits come in bursts (an itinerary session, a rooming list being filled); one message covers a burst.
DEBOUNCE = timedelta(minutes=10)
URGENT_WITHIN = timedelta(days=2)


class OutboxSubscribers:
    """One method per event that concerns partners or staff; each runs in the event's own transaction."""

    def __init__(self, config: NotificationConfig) -> None:
        self.config = config

    def _outbox(self, session: AsyncSession) -> NotificationService:
        # Notification rows publish no events; the bus is only the service's constructor argument.
        return NotificationService(session, EventBus(), self.config)

    async def assignment_requested(self, event: StaffAssigned, session: AsyncSession) -> None:
        assignment = await session.get(Assignment, event.assignment_id)
        group = await session.get(Group, event.group_id)
        staff = await session.get(StaffMember, event.staff_id)
        if assignment is None or group is None or staff is None:
            return
        message = Message(
            "assignment_request", "assignment.request", f"assignment.request:{assignment.id}",
            {
                "org": await who.org_view(session, group.org_id), "group": who.group_view(group),
                "role": assignment.role, "role_es": who.ROLE_ES.get(assignment.role, assignment.role),
                "start_date": assignment.start_date, "end_date": assignment.end_date,
            },
            channel="sms", urgent=assignment.start_date - utcnow().date() <= URGENT_WITHIN, event_name=event.name,
            timezone=group.timezone, group_id=group.id, assignment_id=assignment.id,
        )  # fmt: skip
        await self._outbox(session).notify(group.org_id, who.staff_recipient(staff), message)

    async def voucher_transitioned(self, event: VoucherTransitioned, session: AsyncSession) -> None:
        """A partner hears that a voucher was confirmed, or cancelled once they knew of it."""
        if event.to_status == "confirmed" or (event.to_status == "cancelled" and event.from_status in PARTNER_KNOWS):
            await self._voucher_news(event, event.to_status, session)

    async def _voucher_news(self, event: VoucherTransitioned, change: str, session: AsyncSession) -> None:
        voucher = await session.get(Voucher, event.voucher_id)
        if voucher is None:
            return
        group = await session.get(Group, voucher.group_id)
        partner = await session.get(Partner, voucher.partner_id) if voucher.partner_id else None
        if group is None:
            return
        context = {
            "org": await who.org_view(session, group.org_id), "group": who.group_view(group),
            "voucher": {
                "number": voucher.number, "type": voucher.type, "status": voucher.status, "notes": voucher.notes,
                "service_date": voucher.service_date, "ends_on": voucher.ends_on, "details": voucher.details,
            },
            "partner": {"name": partner.name if partner else "the partner"}, "change": change,
        }  # fmt: skip
        kind = "voucher_issued" if change == "confirmed" else "voucher_changed"
        base: dict[str, Any] = {
            "context": context,
            "event_name": event.name,
            "group_id": group.id,
            "voucher_id": voucher.id,
        }
        if partner is not None:
            message = Message(kind, f"voucher.{change}", f"voucher.{change}:{voucher.id}:{change}", **base)
            await self._outbox(session).notify(group.org_id, who.partner_recipient(partner), message)
        # Drivers take the group there: a short heads-up by SMS, sent at night only when the service is close,
        # as assignment requests are.
        soon = voucher.service_date - utcnow().date() <= URGENT_WITHIN
        for driver in await who.group_staff(session, group.id, ("driver",)):
            message = Message(
                kind, f"voucher.{change}", f"voucher.{change}:{voucher.id}:{change}:driver:{driver.id}",
                channel="sms", timezone=group.timezone, urgent=soon, **base,
            )  # fmt: skip
            await self._outbox(session).notify(group.org_id, who.staff_recipient(driver), message)

    async def rooming_list_updated(self, event: RoomingListUpdated, session: AsyncSession) -> None:
        rooming_list = await session.get(RoomingList, event.rooming_list_id)
        if rooming_list is None or rooming_list.voucher_id is None:
            return  # no hotel voucher linked yet: nobody to send it to
        voucher = await session.get(Voucher, rooming_list.voucher_id)
        partner = await session.get(Partner, voucher.partner_id) if voucher and voucher.partner_id else None
        group = await session.get(Group, rooming_list.group_id)
        if (
            partner is None
            or group is None
            or await self._waiting(session, "rooming.list", voucher_id=rooming_list.voucher_id)
        ):
            return
        rooms = await session.scalar(select(func.count()).where(HotelRoom.rooming_list_id == rooming_list.id))
        guests = await session.scalar(select(func.count()).where(RoomOccupant.rooming_list_id == rooming_list.id))
        message = Message(
            "rooming_list", "rooming.list", f"rooming.list:{rooming_list.id}:{rooming_list.updated_at.isoformat()}",
            {
                "org": await who.org_view(session, group.org_id), "group": who.group_view(group),
                "hotel_name": rooming_list.hotel_name, "change": event.change, "rooms": rooms or 0,
                "guests": guests or 0, "attached": True,
            },
            event_name=event.name, group_id=group.id, voucher_id=rooming_list.voucher_id,
            attachment={"kind": "rooming_list", "id": str(rooming_list.id)}, not_before=utcnow() + DEBOUNCE,
        )  # fmt: skip
        await self._outbox(session).notify(group.org_id, who.partner_recipient(partner), message)

    async def itinerary_changed(self, event: ItineraryChanged, session: AsyncSession) -> None:
        group = await session.get(Group, event.group_id)
        if event.dropped or group is None or await self._waiting(session, "itinerary.changed", group_id=group.id):
            return
        context = {"org": await who.org_view(session, group.org_id), "group": who.group_view(group), "summary": ""}
        for person in await who.group_staff(session, group.id, ("guide", "driver")):
            message = Message(
                "itinerary_changed", "itinerary.changed", f"itinerary.changed:{group.id}:{person.id}:{event.seq}",
                context, channel="sms", event_name=event.name, timezone=group.timezone, group_id=group.id,
                not_before=utcnow() + DEBOUNCE,
            )  # fmt: skip
            await self._outbox(session).notify(group.org_id, who.staff_recipient(person), message)

    async def partner_of_item_changed(self, event: ItineraryChanged, session: AsyncSession) -> None:
        """A partner whose voucher is linked to the changed item hears of it (e.g. a moved dinner)."""
        item_id = uuid.UUID(event.item_id) if event.item_id else None
        item = await session.scalar(select(ItineraryItem).where(ItineraryItem.id == item_id)) if item_id else None
        voucher = await session.get(Voucher, item.voucher_id) if item and item.voucher_id else None
        partner = await session.get(Partner, voucher.partner_id) if voucher and voucher.partner_id else None
        group = await session.get(Group, voucher.group_id) if voucher else None
        if item is None or voucher is None or partner is None or group is None:
            return
        context = {
            "org": await who.org_view(session, group.org_id), "group": who.group_view(group),
            "summary": f"{item.title} on {item.day}" + (f" at {item.start_time}" if item.start_time else ""),
        }  # fmt: skip
        message = Message(
            "itinerary_changed", "itinerary.changed", f"itinerary.changed:{group.id}:partner:{partner.id}:{event.seq}",
            context, event_name=event.name, timezone=group.timezone, group_id=group.id, voucher_id=voucher.id,
            not_before=utcnow() + DEBOUNCE,
        )  # fmt: skip
        await self._outbox(session).notify(group.org_id, who.partner_recipient(partner), message)

    async def reminder_due(self, event: ReminderSent, session: AsyncSession) -> None:
        """Whoever owes the missing data hears of it: the group's coordinators (or, without one, the office) the
        whole list; a guide, driver or partner their own part. Travelers never."""
        group = await session.get(Group, event.group_id)
        if group is None:
            return
        base = {"org": await who.org_view(session, group.org_id), "group": who.group_view(group)}
        for person, items in await who.owners(session, group, event.items):
            context = base | {"items": items, "days_left": event.days_left, "urgent": event.urgent}
            message = Message(
                "reminder_missing_data", "reminder.missing_data", f"reminder:{event.key}:{person.kind}:{person.id}",
                context, urgent=event.urgent, event_name=event.name, timezone=group.timezone, group_id=group.id,
            )  # fmt: skip
            await self._outbox(session).notify(group.org_id, person, message)

    async def _waiting(self, session: AsyncSession, category: str, **about: uuid.UUID) -> bool:
        """A message of this kind about this thing is still queued and untried: it will carry the news."""
        query = select(Notification.id).where(
            Notification.category == category, Notification.status == "pending", Notification.attempts == 0
        )
        for column, value in about.items():
            query = query.where(getattr(Notification, column) == value)
        return await session.scalar(query.limit(1)) is not None
