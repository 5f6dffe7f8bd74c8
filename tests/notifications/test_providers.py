"""The real twilio and sendgrid clients send what the providers' APIs document; the local outbox is the default."""

from __future__ import annotations

import base64
import email
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from domains.kernel.runtime import Hub
from domains.notifications.templates import MESSAGE_TYPES
from hub.wiring import subscribe_notifications
from hub.worker.channels import build_channels
from hub.worker.outbox import deliver_pending
from tests.notifications.conftest import PUBLIC_URL, SENDGRID_API_KEY, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN
from tests.support.backends import Backend
from tests.support.notification_world import (
    LATER,
    a_confirmed_hotel_voucher,
    a_stay_with_driver_and_hotel,
    notifications_of,
)
from tests.support.providers import RecordingProvider


async def test_a_confirmed_voucher_emails_the_hotel_through_sendgrid_and_texts_the_driver_through_twilio(
    wired_hub: Hub, provider: RecordingProvider
) -> None:
    stay = await a_stay_with_driver_and_hotel(wired_hub)
    voucher_id = await a_confirmed_hotel_voucher(wired_hub, stay)
    rows = await notifications_of(wired_hub, stay.org.id)
    assert sorted((r.category, r.channel) for r in rows) == [
        ("assignment.request", "sms"), ("voucher.confirmed", "email"), ("voucher.confirmed", "sms"),
    ]  # fmt: skip

    await deliver_pending(wired_hub, build_channels(wired_hub.settings), LATER)

    [mail] = [r for r in provider.mail() if stay.hotel.email in r.body.decode()]
    assert mail.method == "POST" and mail.path == "/v3/mail/send"
    assert mail.headers["authorization"] == f"Bearer {SENDGRID_API_KEY}"
    sent = mail.json()
    [email_row] = [r for r in rows if r.channel == "email"]
    assert sent["personalizations"][0]["to"] == [{"email": stay.hotel.email}]
    assert sent["from"] == {"email": "bookings@mail.lisbon-tours.example", "name": stay.org.name}
    assert sent["reply_to"] == {"email": "bookings@mail.lisbon-tours.example"}
    assert "voucher V-2027-" in sent["subject"] and stay.group.number in sent["subject"]
    parts = {part["type"]: part["value"] for part in sent["content"]}
    assert "Hotel Avenida" in parts["text/plain"] and "<strong>V-2027-" in parts["text/html"]
    assert sent["custom_args"] == {"notification_id": str(email_row.id)}

    texts = [r for r in provider.sms() if r.form().get("To") == stay.driver_phone]
    assert len(texts) == 2  # the assignment request and the voucher heads-up
    for text in texts:
        assert text.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
        assert (
            text.headers["authorization"]
            == "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        )
        form = text.form()
        assert form["From"] == TWILIO_FROM
        assert form["StatusCallback"].startswith(f"{PUBLIC_URL}/api/v1/notifications/twilio/status?notification=")
    bodies = sorted(text.form()["Body"] for text in texts)
    assert any("Reply YES to confirm" in body for body in bodies)
    assert any("Hotel Avenida" in body and "confirmed" in body for body in bodies)

    after = {r.id: r for r in await notifications_of(wired_hub, stay.org.id)}
    assert {r.status for r in after.values()} == {"sent"}
    assert after[email_row.id].provider == "sendgrid" and after[email_row.id].provider_message_id
    assert all(r.provider_message_id.startswith("SM") for r in after.values() if r.channel == "sms")  # type: ignore[union-attr]
    assert all(r.voucher_id == voucher_id for r in after.values() if r.category == "voucher.confirmed")


async def test_a_messaging_service_replaces_the_from_number(
    backend: Backend, data_dir: Path, provider: RecordingProvider
) -> None:
    from tests.notifications.conftest import provider_settings

    service = "MG" + "1" * 32
    hub = Hub(backend.settings(data_dir, **provider_settings(provider.url, twilio_messaging_service_sid=service)))
    subscribe_notifications(hub)
    try:
        stay = await a_stay_with_driver_and_hotel(hub)
        await deliver_pending(hub, build_channels(hub.settings), LATER)
    finally:
        await hub.close()
    [text] = [r for r in provider.sms() if r.form().get("To") == stay.driver_phone]
    assert text.form()["MessagingServiceSid"] == service and "From" not in text.form()


async def test_without_credentials_the_local_outbox_gets_a_readable_email_and_sms(hub: Hub, data_dir: Path) -> None:
    subscribe_notifications(hub)
    stay = await a_stay_with_driver_and_hotel(hub)
    await a_confirmed_hotel_voucher(hub, stay)
    await deliver_pending(hub, build_channels(hub.settings), LATER)
    rows = {r.id: r for r in await notifications_of(hub, stay.org.id)}
    assert {r.status for r in rows.values()} == {"sent"} and {r.provider for r in rows.values()} == {"local"}

    [email_row] = [r for r in rows.values() if r.channel == "email"]
    [eml] = (data_dir / "outbox").glob(f"*-{email_row.id}.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["To"] == stay.hotel.email and "bookings@spirithub.example" in message["From"]
    assert message.get_body(("plain",)).get_content().count("Hotel Avenida") >= 1  # type: ignore[union-attr]
    assert "<strong>" in message.get_body(("html",)).get_content()  # type: ignore[union-attr]

    texts = [path.read_text() for path in (data_dir / "outbox").glob("*.txt")]
    assert any(stay.driver_phone in text and "Hotel Avenida" in text for text in texts)
    assert any(stay.driver_phone in text and "Reply YES" in text for text in texts)


def test_every_message_type_exists_in_english_and_spanish() -> None:
    for language in ("en", "es"):
        for message_type in MESSAGE_TYPES:
            assert (Path("domains/notifications/templates") / language / f"{message_type}.j2").is_file()


async def test_the_hotel_gets_the_rooming_list_as_a_spreadsheet_once_per_burst_of_edits(
    wired_hub: Hub, provider: RecordingProvider
) -> None:
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from domains.groups.schemas import ParticipantCreate
    from domains.groups.service import GroupService
    from domains.rooming.schemas import RoomIn, RoomingListCreate
    from domains.rooming.service import RoomingService

    stay = await a_stay_with_driver_and_hotel(wired_hub)
    voucher_id = await a_confirmed_hotel_voucher(wired_hub, stay)
    async with wired_hub.unit_of_work(stay.org.id) as uow:
        groups = GroupService(uow.session, uow.bus)
        tom = await groups.add_participant(stay.group.id, ParticipantCreate(name="Tom Traveler"))
        tina = await groups.add_participant(stay.group.id, ParticipantCreate(name="Tina Traveler"))
        rooming = RoomingService(uow.session, uow.bus)
        rooming_list = await rooming.create(
            stay.group.id, RoomingListCreate(hotel_name="Hotel Avenida", voucher_id=voucher_id)
        )
    async with wired_hub.unit_of_work(stay.org.id) as uow:  # a second edit while the first message waits
        await RoomingService(uow.session, uow.bus).replace_rooms(
            rooming_list.id, [RoomIn(room_type="double", occupants=[tom.id, tina.id], room="101")]
        )
    rows = [r for r in await notifications_of(wired_hub, stay.org.id) if r.category == "rooming.list"]
    assert len(rows) == 1 and rows[0].next_attempt_at > rows[0].created_at  # debounced, and coalesced

    await deliver_pending(wired_hub, build_channels(wired_hub.settings), LATER)
    [mail] = [
        r.json()
        for r in provider.mail()
        if "rooming list" in r.json()["subject"] and stay.hotel.email in r.body.decode()
    ]
    [attachment] = mail["attachments"]
    assert attachment["filename"] == "rooming-list-Hotel-Avenida.xlsx" and attachment["disposition"] == "attachment"
    assert attachment["type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(base64.b64decode(attachment["content"]))).active
    # Rendered when sent, so it shows the rooms saved after the message was queued.
    assert [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        ["101", "double", "Tina Traveler", None], ["101", "double", "Tom Traveler", None],
    ]  # fmt: skip
