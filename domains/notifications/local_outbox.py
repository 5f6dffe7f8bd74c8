"""The embedded default: every message becomes a file a person can open (`.eml` for email, `.txt` for SMS)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from domains.notifications.delivery import Delivery, OutgoingMessage


class LocalOutbox:
    """Writes each message to `<data dir>/outbox/` as `<created>-<id>.eml` or `.txt`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def find(self, notification_id: object) -> Path | None:
        return next(iter(sorted(self.directory.glob(f"*-{notification_id}.*"))), None)

    async def send(self, message: OutgoingMessage) -> Delivery:
        stamp = message.created_at.strftime("%Y%m%dT%H%M%S")
        if message.channel == "email":
            path, content = self.directory / f"{stamp}-{message.id}.eml", _email(message)
        else:
            path = self.directory / f"{stamp}-{message.id}.txt"
            sender = f" from {message.sender}" if message.sender else ""
            content = f"SMS to {message.to}{sender}\n\n{message.text}\n".encode()
        await asyncio.to_thread(_write, path, content)
        return Delivery("local", path.name, "written")


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never sees half a message.
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(path)


def _email(message: OutgoingMessage) -> bytes:
    mail = EmailMessage()
    if message.sender:
        mail["From"] = formataddr((message.sender_name, message.sender))
    mail["To"] = message.to
    if message.reply_to:
        mail["Reply-To"] = message.reply_to
    mail["Subject"] = message.subject
    mail["X-Notification-Id"] = str(message.id)
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    if message.attachment is not None:
        maintype, _, subtype = message.attachment.content_type.partition("/")
        mail.add_attachment(
            message.attachment.content, maintype=maintype, subtype=subtype, filename=message.attachment.filename
        )
    return mail.as_bytes()
