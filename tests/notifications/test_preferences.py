"""Preferences are honoured (opt-out, channels, language, quiet hours), bad addresses fail alone,
SMS stay within 2 segments, senders follow the organization, and silence is escalated."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from domains.kernel.runtime import Hub
from domains.models import Notification, RoomEvent
from domains.notifications.addresses import fit_sms, sms_length
from domains.notifications.escalation import Escalation
from domains.notifications.preferences import PreferenceService, quiet_release
from domains.notifications.schemas import PreferenceIn
from domains.notifications.service import NotificationConfig
from domains.notifications.templates import MESSAGE_TYPES, render
from hub.worker.channels import build_channels
from hub.worker.outbox import deliver_pending
from tests.support.builders import bearer, sign_in
from tests.support.notification_world import (
    LATER,
    a_confirmed_hotel_voucher,
    a_stay_with_driver_and_hotel,
    notifications_of,
)
from tests.support.server import RunningHub

SAMPLE = {
    "org": {"name": "Lisbon Tours"},
    "group": {"number": "G-2027-0001", "name": "Lisbon Spring", "start_date": "2027-04-10", "end_date": "2027-04-14"},
    "recipient": {"name": "Maria Fernanda de Albuquerque"},
    "voucher": {"number": "V-2027-0001", "type": "hotel", "service_date": "2027-04-10", "ends_on": "2027-04-14",
                "details": {"check_in": "2027-04-10", "rooms": [{"type": "double", "count": 8}]}, "notes": ""},
    "partner": {"name": "Hotel Avenida Palace"}, "change": "cancelled", "hotel_name": "Hotel Avenida Palace",
    "rooms": 12, "guests": 24, "attached": True, "role": "driver", "role_es": "conductor/a",
    "start_date": "2027-04-10", "end_date": "2027-04-14", "outcome": "confirmed", "status": "confirmed",
    "urgent": True, "days_left": 3, "items": [{"severity": "critical", "area": "driver", "message": "no driver"}],
    "summary": "", "reference": "BK-1A2B3C", "staff_name": "Diego", "hours": 5, "sender_name": "Diego",
    "sender_phone": "+351912345678", "text": "Can I bring my own van?",
    "alert": {"kind": "emergency", "reason": "emergency", "traveler_name": "Maria Fernanda de Albuquerque",
              "message": "Help! My wife fell on the stairs of the hotel and is bleeding from her head, please come "
                         "quickly, we are in room 412", "emergency": True},
}  # fmt: skip


def test_every_message_renders_in_english_and_spanish_within_two_sms_segments() -> None:
    for language in ("en", "es"):
        for message_type in MESSAGE_TYPES:
            rendered = render(message_type, language, SAMPLE)
            if message_type != "assignment_reply":
                assert rendered.subject and rendered.text.strip() and rendered.html.startswith("<")
            text, note = fit_sms(rendered.sms)
            assert note is None and sms_length(text).segments <= 2, (message_type, language, text)
    assert "Responda SI" in render("assignment_request", "es", SAMPLE).sms
    assert (
        "&lt;b&gt;"
        in render("voucher_issued", "en", SAMPLE | {"partner": {"name": "<b>"}, "recipient": {"name": "<b>"}}).html
    )


def test_an_sms_that_cannot_fit_says_why() -> None:
    text, note = fit_sms("Olá " + "ção " * 120)
    assert note is not None and "segments" in note and text
    folded, none = fit_sms("¿Puede trabajar como guía? Responda SÍ " + "x" * 100)
    assert none is None and "guia" in folded and sms_length(folded).encoding == "GSM-7"


def test_quiet_hours_are_counted_in_the_recipients_timezone() -> None:
    lisbon_night = datetime(2027, 4, 9, 23, 30, tzinfo=ZoneInfo("Europe/Lisbon"))
    release = quiet_release(lisbon_night, "Europe/Lisbon", "21:00-08:00")
    assert release == datetime(2027, 4, 10, 8, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    assert quiet_release(lisbon_night.replace(hour=12), "Europe/Lisbon", "21:00-08:00") is None
    # 03:30 in Lisbon is 22:30 the evening before in New York: held until 08:00 there.
    new_york = quiet_release(lisbon_night.replace(hour=3), "America/New_York", "21:00-08:00")
    assert new_york == datetime(2027, 4, 9, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert quiet_release(datetime(2027, 4, 10, 6, tzinfo=UTC), "UTC", "13:00-15:00") is None


async def test_preferences_decide_channel_language_quiet_hours_and_opt_out(hub: Hub) -> None:
    from hub.wiring import subscribe_notifications

    subscribe_notifications(hub)
    stay = await a_stay_with_driver_and_hotel(hub)
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo("Asia/Tokyo"))
    quiet = PreferenceIn(
        channels=["sms"], language="es", timezone="Asia/Tokyo",
        quiet_start=(local - timedelta(hours=1)).strftime("%H:%M"),
        quiet_end=(local + timedelta(hours=2)).strftime("%H:%M"),
    )  # fmt: skip
    async with hub.unit_of_work(stay.org.id) as uow:
        preferences = PreferenceService(uow.session)
        await preferences.put("staff", stay.driver_id, quiet)
        await preferences.put("partner", stay.hotel.id, PreferenceIn(opted_out=True))
    await a_confirmed_hotel_voucher(hub, stay)
    rows = {r.category + ":" + r.channel: r for r in await notifications_of(hub, stay.org.id)}
    to_hotel, to_driver = rows["voucher.confirmed:email"], rows["voucher.confirmed:sms"]
    assert to_hotel.status == "skipped" and "opted out" in (to_hotel.last_error or "")
    assert to_driver.language == "es" and "confirmado en Hotel Avenida" in to_driver.body
    assert to_driver.next_attempt_at > now + timedelta(minutes=55) and "quiet hours" in (to_driver.note or "")


async def test_an_unusable_address_fails_its_own_row_and_blocks_nobody(hub: Hub) -> None:
    from hub.wiring import subscribe_notifications

    subscribe_notifications(hub)
    stay = await a_stay_with_driver_and_hotel(hub, hotel_email="reservas@hotel-avenida..example")
    await a_confirmed_hotel_voucher(hub, stay)
    await deliver_pending(hub, build_channels(hub.settings), LATER)
    rows = await notifications_of(hub, stay.org.id)
    [bad] = [r for r in rows if r.channel == "email"]
    assert bad.status == "dead" and bad.last_error == "invalid email address 'reservas@hotel-avenida..example'"
    assert {r.status for r in rows if r.channel == "sms"} == {"sent"}


async def test_an_unanswered_request_alerts_the_coordinator_once(hub: Hub) -> None:
    from hub.wiring import subscribe_notifications

    subscribe_notifications(hub)
    stay = await a_stay_with_driver_and_hotel(hub)
    await deliver_pending(hub, build_channels(hub.settings), LATER)

    async def escalate(now: datetime) -> int:
        async with hub.unit_of_work() as uow:
            return await Escalation(uow.session, uow.bus, NotificationConfig()).escalate_overdue(
                now, timedelta(hours=4)
            )

    assert await escalate(LATER + timedelta(hours=3)) == 0  # not overdue yet
    assert await escalate(LATER + timedelta(hours=5)) >= 1
    await escalate(LATER + timedelta(hours=9))  # ours is not escalated twice (checked below)
    rows = [r for r in await notifications_of(hub, stay.org.id) if r.category == "escalation.assignment"]
    assert [(r.recipient, r.channel, r.urgent) for r in rows] == [(stay.coordinator.email, "email", True)]
    assert "No answer from Diego (driver)" in rows[0].subject
    async with hub.unit_of_work(stay.org.id) as uow:
        room = select(RoomEvent).where(
            RoomEvent.room == f"group:{stay.group.id}", RoomEvent.type == "notification.overdue"
        )
        [event] = (await uow.session.execute(room)).scalars()
    assert event.payload["assignment_id"] == str(stay.assignment_id) and event.payload["hours"] == 5


async def test_the_office_sets_preferences_and_the_admin_sets_senders(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office)
    admin = bearer(await sign_in(client, stay.admin))
    coordinator = bearer(await sign_in(client, stay.coordinator))
    url = f"/api/v1/notifications/preferences/staff/{stay.driver_id}"
    body = {"channels": ["email"], "language": "es", "timezone": "Europe/Madrid", "quiet_start": "22:00",
            "quiet_end": "07:30"}  # fmt: skip
    saved = await client.put(url, json=body, headers=coordinator)
    assert saved.status_code == 200 and saved.json()["language"] == "es"
    assert (await client.get(url, headers=coordinator)).json()["quiet_end"] == "07:30"
    for bad in ({"channels": ["fax"]}, {"timezone": "Mars/Olympus"}, {"quiet_start": "25:00", "quiet_end": "07:00"},
                {"quiet_start": "22:00"}, {"language": "fr"}, {"unknown": 1}):  # fmt: skip
        assert (await client.put(url, json=bad, headers=coordinator)).status_code in (400, 422), bad
    assert (await client.put(f"/api/v1/notifications/preferences/staff/{uuid.uuid4()}", json={},
                             headers=coordinator)).status_code == 404  # fmt: skip
    assert (await client.delete(url, headers=coordinator)).status_code == 204
    assert (await client.get(url, headers=coordinator)).status_code == 404

    desk = await client.put("/api/v1/notifications/senders/bookings", json={"email": "Reservas@Lisbon-Tours.example",
                            "name": "Lisbon Tours Reservas"}, headers=admin)  # fmt: skip
    assert desk.status_code == 200 and desk.json()["email"] == "Reservas@lisbon-tours.example"
    assert (
        await client.put("/api/v1/notifications/senders/bookings", json={"email": "nope"}, headers=admin)
    ).status_code == 422
    assert (
        await client.put("/api/v1/notifications/senders/sales", json={"email": "a@b.example"}, headers=admin)
    ).status_code == 422
    assert (await client.get("/api/v1/notifications/senders", headers=coordinator)).status_code == 403
    senders = {s["desk"]: s for s in (await client.get("/api/v1/notifications/senders", headers=admin)).json()}
    assert (
        senders["dispatch"]["email"] == "dispatch@spirithub.example"
        and "assignment" in senders["dispatch"]["categories"]
    )
    await a_confirmed_hotel_voucher(office, stay)
    [mail] = [r for r in await notifications_of(office, stay.org.id) if r.channel == "email"]
    assert (mail.sender, mail.sender_name, mail.reply_to) == (
        "Reservas@lisbon-tours.example", "Lisbon Tours Reservas", "Reservas@lisbon-tours.example",
    )  # fmt: skip
    async with office.unit_of_work(stay.org.id) as uow:
        assert (await uow.session.scalar(select(Notification.id).where(Notification.id == mail.id))) == mail.id


async def test_an_itinerary_change_texts_the_groups_staff_once_per_burst(hub: Hub) -> None:
    from domains.itineraries.events import ItineraryChanged
    from hub.wiring import subscribe_notifications

    subscribe_notifications(hub)
    stay = await a_stay_with_driver_and_hotel(hub)
    for seq in (1, 2, 3):  # three edits in a row: the queued message covers them all
        async with hub.unit_of_work(stay.org.id) as uow:
            uow.bus.publish(
                ItineraryChanged(org_id=stay.org.id, group_id=stay.group.id, seq=seq, op="set_field",
                                 item_id=None, dropped=False)
            )  # fmt: skip
    [text] = [r for r in await notifications_of(hub, stay.org.id) if r.category == "itinerary.changed"]
    assert text.recipient == stay.driver_phone and "itinerary of" in text.body and stay.group.number in text.body
