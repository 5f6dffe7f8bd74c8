"""Provider webhooks (no bearer token: each request is verified by the provider's own signature).

- `POST /api/v1/notifications/twilio/status`: Twilio status callbacks (`X-Twilio-Signature`).
- `POST /api/v1/notifications/twilio/inbound`: inbound SMS; `To` (the number it was sent to) names the
  organization, YES/NO answers its assignment request, anything else goes to its staff.
- `POST /api/v1/notifications/sendgrid/events`: SendGrid event webhook (ECDSA signature + timestamp).
A request whose signature does not verify is refused with 403 and changes nothing.
"""

from __future__ import annotations

import binascii
import json
import time
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from litestar import Controller, Request, Response, post
from sendgrid.helpers.eventwebhook import EventWebhook  # type: ignore[import-untyped]
from sendgrid.helpers.eventwebhook.eventwebhook_header import EventWebhookHeader  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.twiml.messaging_response import MessagingResponse  # type: ignore[import-untyped]

from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.runtime import Hub
from domains.notifications.inbound import InboundSms
from domains.notifications.status import StatusReport, apply_report
from web.deps import HubDep, NotificationConfigDep

SIGNATURE_MAX_AGE_SECONDS = 600
MAX_EVENTS = 1000


def _public_url(hub: Hub, request: Request[Any, Any, Any]) -> str:
    """The URL the provider signed: ours as the world sees it (HUB_PUBLIC_URL), with the query string."""
    base = (hub.settings.public_url or "").rstrip("/")
    if not base:
        return str(request.url)
    query = request.url.query
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


async def _twilio_form(hub: Hub, request: Request[Any, Any, Any]) -> dict[str, str]:
    token = hub.settings.twilio_auth_token
    if not token:
        raise Forbidden("Twilio webhooks are not configured here (HUB_TWILIO_AUTH_TOKEN is not set)")
    form = await request.form()
    params = {key: str(value) for key, value in form.items()}
    signature = request.headers.get("x-twilio-signature", "")
    if not signature or not RequestValidator(token).validate(_public_url(hub, request), params, signature):
        raise Forbidden("the X-Twilio-Signature does not match this request")
    return params


class ProviderWebhooks(Controller):
    path = "/notifications"
    tags = ["notifications"]
    opt = {"exclude_from_auth": True}

    @post("/twilio/status", status_code=204)
    async def twilio_status(self, request: Request[Any, Any, Any], hub: HubDep) -> None:
        params = await _twilio_form(hub, request)
        status = params.get("MessageStatus") or params.get("SmsStatus")
        if not status:
            raise Invalid("MessageStatus is missing")
        error = params.get("ErrorCode")
        report = StatusReport(
            provider="twilio",
            status=status,
            notification_id=request.query_params.get("notification"),
            message_id=params.get("MessageSid") or params.get("SmsSid"),
            reason=f"error {error}" if error else None,
        )
        async with hub.unit_of_work() as uow:
            await apply_report(uow.session, report)

    @post("/twilio/inbound", status_code=200)
    async def twilio_inbound(
        self, request: Request[Any, Any, Any], hub: HubDep, notification_config: NotificationConfigDep
    ) -> Response[str]:
        params = await _twilio_form(hub, request)
        sender, to, sid = params.get("From", ""), params.get("To", ""), params.get("MessageSid", "")
        if not sender or not sid:
            raise Invalid("From and MessageSid are required")
        async with hub.unit_of_work() as uow:
            inbound = InboundSms(uow.session, uow.bus, notification_config)
            result = await inbound.receive(sender, to, params.get("Body", ""), sid)
        reply = MessagingResponse()
        if result.reply:
            reply.message(result.reply)
        return Response(str(reply), media_type="application/xml")

    @post("/sendgrid/events", status_code=204)
    async def sendgrid_events(self, request: Request[Any, Any, Any], hub: HubDep) -> None:
        key = hub.settings.sendgrid_webhook_public_key
        if not key:
            raise Forbidden("SendGrid webhooks are not configured here (HUB_SENDGRID_WEBHOOK_PUBLIC_KEY is not set)")
        raw = await request.body()
        signature = request.headers.get(EventWebhookHeader.SIGNATURE, "")
        timestamp = request.headers.get(EventWebhookHeader.TIMESTAMP, "")
        if not _sendgrid_signed(key, raw, signature, timestamp):
            raise Forbidden("the SendGrid event webhook signature does not match this request")
        try:
            events = json.loads(raw)
        except ValueError:
            raise Invalid("the body is not JSON") from None
        if not isinstance(events, list) or len(events) > MAX_EVENTS:
            raise Invalid(f"expected a JSON array of at most {MAX_EVENTS} events")
        async with hub.unit_of_work() as uow:
            for event in events:
                if isinstance(event, dict) and isinstance(event.get("event"), str):
                    await apply_report(uow.session, _sendgrid_report(event))


def _sendgrid_signed(key: str, raw: bytes, signature: str, timestamp: str) -> bool:
    if not signature or not timestamp.isdigit():
        return False
    # An old timestamp is a replayed request, even when the signature is genuine.
    if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    try:
        verifier = EventWebhook(key)
        return bool(verifier.verify_signature(raw.decode(), signature, timestamp))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, UnsupportedAlgorithm):
        return False


def _sendgrid_report(event: dict[str, Any]) -> StatusReport:
    reason = event.get("reason") or event.get("response")
    return StatusReport(
        provider="sendgrid",
        status=str(event["event"]),
        notification_id=str(event.get("notification_id") or "") or None,
        message_id=str(event.get("sg_message_id") or "") or None,
        reason=str(reason)[:300] if reason else None,
    )
