"""Domain events → outbox rows, written inside the unit of work that made the change.

Registered with `Subscribers.subscribe_in_transaction`, so a notification commits together with its
cause or not at all. Each handler reads what it needs and calls `NotificationService.notify`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.assignments.events import StaffAssigned
from domains.itineraries.events import ItineraryChanged
from domains.kernel.bus import Event, EventBus, Subscribers
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


class Handlers:
    def __init__(self, session: AsyncSession, config: NotificationConfig) -> None:
        self.session = session
        # Notification rows publish no events; the bus is only the service's constructor argument.
        self.outbox = NotificationService(session, EventBus(), config)

    async def assignment_requested(self, event: StaffAssigned) -> None:
        assignment = await self.session.get(Assignment, event.assignment_id)
        group = await self.session.get(Group, event.group_id)
        staff = await self.session.get(StaffMember, event.staff_id)
        if assignment is None or group is None or staff is None:
            return
        message = Message(
            "assignment_request", "assignment.request", f"assignment.request:{assignment.id}",
            {
                "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
                "role": assignment.role, "role_es": who.ROLE_ES.get(assignment.role, assignment.role),
                "start_date": assignment.start_date, "end_date": assignment.end_date,
            },
            channel="sms", urgent=assignment.start_date - utcnow().date() <= URGENT_WITHIN, event_name=event.name,
            timezone=group.timezone, group_id=group.id, assignment_id=assignment.id,
        )  # fmt: skip
        await self.outbox.notify(group.org_id, who.staff_recipient(staff), message)

    async def voucher_changed(self, event: Event, change: str) -> None:
        voucher_id = _uuid(getattr(event, "voucher_id", None))
        voucher = await self.session.get(Voucher, voucher_id) if voucher_id else None
        if voucher is None:
            return
        group = await self.session.get(Group, voucher.group_id)
        partner = await self.session.get(Partner, voucher.partner_id) if voucher.partner_id else None
        if group is None:
            return
        context = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "voucher": {
                "number": voucher.number, "type": voucher.type, "status": voucher.status, "notes": voucher.notes,
                "service_date": voucher.service_date, "ends_on": voucher.ends_on, "details": voucher.details,
            },
            "partner": {"name": partner.name if partner else "the partner"}, "change": change,
        }  # fmt: skip
        kind = "voucher_issued" if change == "confirmed" else "voucher_changed"
        stamp = voucher.updated_at.isoformat() if change == "changed" else change
        base: dict[str, Any] = {
            "context": context,
            "event_name": event.name,
            "group_id": group.id,
            "voucher_id": voucher.id,
        }
        if partner is not None:
            message = Message(kind, f"voucher.{change}", f"voucher.{change}:{voucher.id}:{stamp}", **base)
            await self.outbox.notify(group.org_id, who.partner_recipient(partner), message)
        # Drivers take the group there: a short heads-up by SMS, sent at night only when the service is close,
        # as assignment requests are.
        soon = voucher.service_date - utcnow().date() <= URGENT_WITHIN
        for driver in await who.group_staff(self.session, group.id, ("driver",)):
            message = Message(
                kind, f"voucher.{change}", f"voucher.{change}:{voucher.id}:{stamp}:driver:{driver.id}",
                channel="sms", timezone=group.timezone, urgent=soon, **base,
            )  # fmt: skip
            await self.outbox.notify(group.org_id, who.staff_recipient(driver), message)

    async def rooming_list_updated(self, event: RoomingListUpdated) -> None:
        rooming_list = await self.session.get(RoomingList, event.rooming_list_id)
        if rooming_list is None or rooming_list.voucher_id is None:
            return  # no hotel voucher linked yet: nobody to send it to
        voucher = await self.session.get(Voucher, rooming_list.voucher_id)
        partner = await self.session.get(Partner, voucher.partner_id) if voucher and voucher.partner_id else None
        group = await self.session.get(Group, rooming_list.group_id)
        if partner is None or group is None or await self._waiting("rooming.list", voucher_id=rooming_list.voucher_id):
            return
        rooms = await self.session.scalar(select(func.count()).where(HotelRoom.rooming_list_id == rooming_list.id))
        guests = await self.session.scalar(select(func.count()).where(RoomOccupant.rooming_list_id == rooming_list.id))
        message = Message(
            "rooming_list", "rooming.list", f"rooming.list:{rooming_list.id}:{rooming_list.updated_at.isoformat()}",
            {
                "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
                "hotel_name": rooming_list.hotel_name, "change": event.change, "rooms": rooms or 0,
                "guests": guests or 0, "attached": True,
            },
            event_name=event.name, group_id=group.id, voucher_id=rooming_list.voucher_id,
            attachment={"kind": "rooming_list", "id": str(rooming_list.id)}, not_before=utcnow() + DEBOUNCE,
        )  # fmt: skip
        await self.outbox.notify(group.org_id, who.partner_recipient(partner), message)

    async def itinerary_changed(self, event: ItineraryChanged) -> None:
        group = await self.session.get(Group, event.group_id)
        if event.dropped or group is None or await self._waiting("itinerary.changed", group_id=group.id):
            return
        context = {"org": await who.org_view(self.session, group.org_id), "group": who.group_view(group), "summary": ""}
        for person in await who.group_staff(self.session, group.id, ("guide", "driver")):
            message = Message(
                "itinerary_changed", "itinerary.changed", f"itinerary.changed:{group.id}:{person.id}:{event.seq}",
                context, channel="sms", event_name=event.name, timezone=group.timezone, group_id=group.id,
                not_before=utcnow() + DEBOUNCE,
            )  # fmt: skip
            await self.outbox.notify(group.org_id, who.staff_recipient(person), message)

    async def partner_of_item_changed(self, event: ItineraryChanged) -> None:
        """A partner whose voucher is linked to the changed item hears of it (e.g. a moved dinner)."""
        item_id = _uuid(event.item_id)
        item = await self.session.scalar(select(ItineraryItem).where(ItineraryItem.id == item_id)) if item_id else None
        voucher = await self.session.get(Voucher, item.voucher_id) if item and item.voucher_id else None
        partner = await self.session.get(Partner, voucher.partner_id) if voucher and voucher.partner_id else None
        group = await self.session.get(Group, voucher.group_id) if voucher else None
        if item is None or voucher is None or partner is None or group is None:
            return
        context = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "summary": f"{item.title} on {item.day}" + (f" at {item.start_time}" if item.start_time else ""),
        }  # fmt: skip
        message = Message(
            "itinerary_changed", "itinerary.changed", f"itinerary.changed:{group.id}:partner:{partner.id}:{event.seq}",
            context, event_name=event.name, timezone=group.timezone, group_id=group.id, voucher_id=voucher.id,
            not_before=utcnow() + DEBOUNCE,
        )  # fmt: skip
        await self.outbox.notify(group.org_id, who.partner_recipient(partner), message)

    async def reminder_due(self, event: ReminderSent) -> None:
        """The group's coordinators (or, without one, the office) hear what is still missing."""
        group = await self.session.get(Group, event.group_id)
        if group is None:
            return
        context = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "items": event.items, "days_left": event.days_left, "urgent": event.urgent,
        }  # fmt: skip
        for person in await who.coordinators(self.session, group):
            message = Message(
                "reminder_missing_data", "reminder.missing_data", f"reminder:{event.key}:{person.kind}:{person.id}",
                context, urgent=event.urgent, event_name=event.name, timezone=group.timezone, group_id=group.id,
            )  # fmt: skip
            await self.outbox.notify(group.org_id, person, message)

    async def booking_confirmed(self, event: Event) -> None:
        """Hook for a `booking.confirmed` event (bookings publish none yet): the travelers hear it by email."""
        booking_id, group_id = _uuid(getattr(event, "booking_id", None)), _uuid(getattr(event, "group_id", None))
        group = await self.session.get(Group, group_id) if group_id else None
        if booking_id is None or group is None:
            return
        context: dict[str, Any] = {
            "org": await who.org_view(self.session, group.org_id), "group": who.group_view(group),
            "reference": getattr(event, "reference", ""),
        }  # fmt: skip
        for traveler in await who.booking_travelers(self.session, booking_id):
            message = Message(
                "booking_confirmation", "booking.confirmation", f"booking.confirmed:{booking_id}:{traveler.name}",
                context, event_name=event.name, group_id=group.id,
                language=group.languages[0] if group.languages else None,
            )  # fmt: skip
            await self.outbox.notify(group.org_id, traveler, message)

    async def _waiting(self, category: str, **about: uuid.UUID) -> bool:
        """A message of this kind about this thing is still queued and untried: it will carry the news."""
        query = select(Notification.id).where(
            Notification.category == category, Notification.status == "pending", Notification.attempts == 0
        )
        for column, value in about.items():
            query = query.where(getattr(Notification, column) == value)
        return await self.session.scalar(query.limit(1)) is not None


def _uuid(value: object) -> uuid.UUID | None:
    """Hooked events are not ours to trust: a missing or malformed id means "not for us", not a failure."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def handler_for(event: Event, handlers: Handlers) -> Callable[[], Awaitable[None]] | None:
    if isinstance(event, StaffAssigned):
        return lambda: handlers.assignment_requested(event)
    if isinstance(event, VoucherTransitioned):
        if event.to_status == "confirmed":
            return lambda: handlers.voucher_changed(event, "confirmed")
        if event.to_status == "cancelled" and event.from_status in PARTNER_KNOWS:
            return lambda: handlers.voucher_changed(event, "cancelled")
        return None
    if event.name == "voucher.changed":  # hook: vouchers publish no detail-change event yet
        return lambda: handlers.voucher_changed(event, "changed")
    if isinstance(event, RoomingListUpdated):
        return lambda: handlers.rooming_list_updated(event)
    if isinstance(event, ItineraryChanged):

        async def both() -> None:
            await handlers.itinerary_changed(event)
            await handlers.partner_of_item_changed(event)

        return both
    if isinstance(event, ReminderSent):
        return lambda: handlers.reminder_due(event)
    if event.name == "booking.confirmed":
        return lambda: handlers.booking_confirmed(event)
    return None


def register(subscribers: Subscribers, config: NotificationConfig) -> None:
    """Write notification rows for the events that concern partners and staff, in the same transaction."""

    async def notify(event: Event, session: AsyncSession) -> None:
        run = handler_for(event, Handlers(session, config))
        if run is not None:
            await run()

    subscribers.subscribe_in_transaction(notify)
