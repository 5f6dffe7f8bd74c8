"""Notification events that land in a group's room log (so the coordinator sees them live and on replay)."""

from __future__ import annotations

from domains.conversations.events import RoomEventRecorded


class ConfirmationOverdue(RoomEventRecorded, frozen=True, kw_only=True):
    """A guide or driver did not answer an assignment request in time; on the wire `notification:overdue`."""

    name = "notification.overdue"


class SmsReplyReceived(RoomEventRecorded, frozen=True, kw_only=True):
    """A text reply the hub could not act on, forwarded to the coordinator; on the wire `notification:reply`."""

    name = "notification.reply"
