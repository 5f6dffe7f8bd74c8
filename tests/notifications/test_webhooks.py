"""Provider webhooks: signed reports update a notification's status, forged ones get 403 and change nothing;
an inbound YES confirms the assignment and the board hears it live."""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from domains.models import Assignment, Notification, RoomEvent
from tests.notifications.conftest import PUBLIC_URL, SENDGRID_KEY, TWILIO_SID, TWILIO_TOKEN
from tests.support.builders import a_person, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.notification_world import a_confirmed_hotel_voucher, a_stay_with_driver_and_hotel, notifications_of
from tests.support.server import RunningHub

STATUS = "/api/v1/notifications/twilio/status"
INBOUND = "/api/v1/notifications/twilio/inbound"
EVENTS = "/api/v1/notifications/sendgrid/events"


def twilio_post(client: httpx.AsyncClient, path: str, form: dict[str, str], *, forged: bool = False) -> Any:
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_URL}{path}", form)
    if forged:
        signature = RequestValidator("someone-elses-token").compute_signature(f"{PUBLIC_URL}{path}", form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def sendgrid_post(client: httpx.AsyncClient, events: list[dict[str, Any]], *, key: Any = SENDGRID_KEY) -> Any:
    payload = json.dumps(events)
    timestamp = str(int(time.time()))
    signature = base64.b64encode(key.sign((timestamp + payload).encode(), ec.ECDSA(hashes.SHA256()))).decode()
    headers = {
        "Content-Type": "application/json",
        "X-Twilio-Email-Event-Webhook-Signature": signature,
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
    }
    return client.post(EVENTS, content=payload, headers=headers)


async def mark_sent(running: Hub, row_id: uuid.UUID, message_id: str) -> None:
    async with running.unit_of_work() as uow:
        row = await uow.session.get(Notification, row_id)
        assert row is not None
        row.status, row.provider_message_id, row.sent_at = "sent", message_id, running.clock()


async def row(running: Hub, row_id: uuid.UUID) -> Notification:
    async with running.unit_of_work() as uow:
        found = await uow.session.get(Notification, row_id)
    assert found is not None
    return found


async def test_twilio_status_callbacks_are_verified_and_update_the_status(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office)
    [request] = await notifications_of(office, stay.org.id)
    await mark_sent(office, request.id, "SM" + "a" * 32)
    path = f"{STATUS}?notification={request.id}"
    report = {
        "MessageSid": "SM" + "a" * 32,
        "MessageStatus": "undelivered",
        "AccountSid": TWILIO_SID,
        "ErrorCode": "30005",
    }

    forged = await twilio_post(client, path, report, forged=True)
    assert forged.status_code == 403 and "X-Twilio-Signature" in forged.json()["detail"]
    unsigned = await client.post(path, data=report)
    assert unsigned.status_code == 403
    assert (await row(office, request.id)).status == "sent"

    delivered = await twilio_post(client, path, report | {"MessageStatus": "delivered", "ErrorCode": ""})
    assert delivered.status_code == 204
    after = await row(office, request.id)
    assert (after.status, after.provider_status) == ("delivered", "delivered")
    # A late, out-of-order "sent" does not undo "delivered"; the message id alone also finds the row.
    assert (await twilio_post(client, STATUS, report | {"MessageStatus": "sent"})).status_code == 204
    assert (await row(office, request.id)).status == "delivered"


async def test_sendgrid_events_are_verified_and_update_the_status(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office)
    await a_confirmed_hotel_voucher(office, stay)
    [mail] = [r for r in await notifications_of(office, stay.org.id) if r.channel == "email"]
    await mark_sent(office, mail.id, "msg" + mail.id.hex[:12])
    delivered = {"email": mail.recipient, "event": "delivered", "timestamp": int(time.time()),
                 "sg_message_id": f"msg{mail.id.hex[:12]}.filter-1.0", "notification_id": str(mail.id)}  # fmt: skip

    assert (await sendgrid_post(client, [delivered], key=ec.generate_private_key(ec.SECP256R1()))).status_code == 403
    tampered = await client.post(EVENTS, content=json.dumps([delivered]), headers={
        "X-Twilio-Email-Event-Webhook-Signature": "bm90IGEgc2lnbmF0dXJl",
        "X-Twilio-Email-Event-Webhook-Timestamp": str(int(time.time())),
    })  # fmt: skip
    assert tampered.status_code == 403
    assert (await row(office, mail.id)).status == "sent"

    assert (await sendgrid_post(client, [delivered])).status_code == 204
    assert (await row(office, mail.id)).status == "delivered"
    bounce = delivered | {"event": "bounce", "reason": "550 5.1.1 mailbox unknown", "notification_id": None}
    assert (await sendgrid_post(client, [bounce])).status_code == 204  # found by sg_message_id
    failed = await row(office, mail.id)
    assert failed.status == "failed" and "mailbox unknown" in (failed.last_error or "")
    assert (await sendgrid_post(client, [{"no": "event"}, "junk"])).status_code == 204  # type: ignore[list-item]
    assert (await client.post(EVENTS, content=b"[]")).status_code == 403


async def test_a_driver_who_texts_si_confirms_and_the_board_sees_it(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office, languages=["es"])
    [request] = await notifications_of(office, stay.org.id)
    assert request.category == "assignment.request" and request.language == "es"
    assert "Responda SI para confirmar" in request.body
    dana = await a_person(office, stay.org, Role.DISPATCHER, "Dana")
    watcher = LiveClient("dana")
    await watcher.connect(notifying.url, (await sign_in(client, dana))["access_token"])
    try:
        assert (await watcher.join("board:dispatch"))["ok"]
        form = {"From": stay.driver_phone, "To": "+15005550006", "Body": " Sí! ", "MessageSid": "SM" + "b" * 32,
                "AccountSid": TWILIO_SID}  # fmt: skip
        assert (await twilio_post(client, INBOUND, form, forged=True)).status_code == 403
        answer = await twilio_post(client, INBOUND, form)
        update = await watcher.wait_for("board:update", lambda d: d.get("assignment_id") == str(stay.assignment_id))
    finally:
        await watcher.close()
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    assert "<Message>Gracias Diego" in answer.text
    assert update["event"] == "assignment.confirmed" and update["status"] == "confirmed"
    async with office.unit_of_work(stay.org.id) as uow:
        assert (await uow.session.get(Assignment, stay.assignment_id)).status == "confirmed"  # type: ignore[union-attr]
    again = await twilio_post(client, INBOUND, form | {"Body": "NO", "MessageSid": "SM" + "c" * 32})
    assert "ya está confirmada" in again.text  # a late NO does not undo the answer


async def test_any_other_reply_is_forwarded_to_the_coordinator(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office)
    form = {"From": stay.driver_phone, "To": "+15005550006", "Body": "Can I bring my own van?",
            "MessageSid": "SM" + secrets.token_hex(16), "AccountSid": TWILIO_SID}  # fmt: skip
    answer = await twilio_post(client, INBOUND, form)
    assert answer.status_code == 200 and "<Message>" not in answer.text
    assert (await twilio_post(client, INBOUND, form)).status_code == 200  # Twilio retried: forwarded once
    forwarded = [r for r in await notifications_of(office, stay.org.id) if r.category == "inbound.sms"]
    assert [(r.recipient, r.channel) for r in forwarded] == [(stay.coordinator.email, "email")]
    assert "Can I bring my own van?" in forwarded[0].body and stay.driver_phone in forwarded[0].body
    async with office.unit_of_work(stay.org.id) as uow:
        events = (
            await uow.session.execute(select(RoomEvent).where(RoomEvent.room == f"group:{stay.group.id}"))
        ).scalars()
        assert [e.payload["text"] for e in events if e.type == "notification.reply"] == ["Can I bring my own van?"]
        assert (await uow.session.get(Assignment, stay.assignment_id)).status == "proposed"  # type: ignore[union-attr]


async def test_the_admin_lists_the_outbox_and_reads_a_local_file(
    notifying: RunningHub, client: httpx.AsyncClient, office: Hub
) -> None:
    stay = await a_stay_with_driver_and_hotel(office)
    admin = bearer(await sign_in(client, stay.admin))
    listing = await client.get("/api/v1/outbox", params={"channel": "sms"}, headers=admin)
    assert listing.status_code == 200
    [item] = listing.json()
    assert item["recipient"] == stay.driver_phone and item["category"] == "assignment.request"
    detail = (await client.get(f"/api/v1/outbox/{item['id']}", headers=admin)).json()
    assert "Reply YES" in detail["body"] and detail["assignment_id"] == str(stay.assignment_id)
    assert (await client.get(f"/api/v1/outbox/{item['id']}/file", headers=admin)).status_code == 404  # not sent yet
    coordinator = bearer(await sign_in(client, stay.coordinator))
    assert (await client.get("/api/v1/outbox", headers=coordinator)).status_code == 403
    assert (await client.get("/api/v1/outbox", params={"limit": 0}, headers=admin)).status_code == 422
    assert (await client.get("/api/v1/outbox", params={"status": "bogus"}, headers=admin)).status_code == 400
