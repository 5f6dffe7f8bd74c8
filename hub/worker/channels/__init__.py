"""Delivery channels behind one interface, and the router that picks one per message.

Email goes through SendGrid when `HUB_SENDGRID_API_KEY` is set, SMS through Twilio when
`HUB_TWILIO_ACCOUNT_SID`, `HUB_TWILIO_AUTH_TOKEN` and a sender are set; otherwise into the local outbox.
"""

from __future__ import annotations

import logging

from domains.kernel.settings import Settings
from domains.notifications.delivery import Channel, Delivery, OutgoingMessage, PermanentFailure
from domains.notifications.local_outbox import LocalOutbox

log = logging.getLogger(__name__)

__all__ = [
    "Channel",
    "ChannelRouter",
    "Delivery",
    "LocalOutbox",
    "OutgoingMessage",
    "PermanentFailure",
    "build_channels",
]


class ChannelRouter:
    def __init__(self, email: Channel, sms: Channel) -> None:
        self.email = email
        self.sms = sms

    async def send(self, message: OutgoingMessage) -> Delivery | None:
        return await (self.email if message.channel == "email" else self.sms).send(message)


def build_channels(settings: Settings) -> ChannelRouter:
    """The configured providers; says once, in the log, which channel goes where."""
    local = LocalOutbox(settings.outbox_dir)
    email: Channel = local
    sms: Channel = local
    if settings.sendgrid_api_key:
        from hub.worker.channels.sendgrid_email import SendGridEmail

        email = SendGridEmail(settings)
        log.info("notifications: email is sent through SendGrid")
    else:
        log.info("notifications: no HUB_SENDGRID_API_KEY, email goes to the local outbox %s", settings.outbox_dir)
    if (
        settings.twilio_account_sid
        and settings.twilio_auth_token
        and (settings.twilio_from or settings.twilio_messaging_service_sid)
    ):
        from hub.worker.channels.twilio_sms import TwilioSms

        sms = TwilioSms(settings)
        log.info("notifications: SMS is sent through Twilio")
    else:
        log.info("notifications: no HUB_TWILIO_* credentials, SMS goes to the local outbox %s", settings.outbox_dir)
    return ChannelRouter(email=email, sms=sms)
