"""Notification events that land in a group's room log (so the coordinator sees them live and on replay)."""

from __future__ import annotations

from domains.conversations.events import RoomEventRecorded
from domains.kernel.rooms import Audience


class ConfirmationOverdue(RoomEventRecorded, frozen=True, kw_only=True):
    """A guide or driver did not answer an assignment request in time; on the wire `notification:overdue`."""

    name = "notification.overdue"
    visible_to = Audience.STAFF


class SmsReplyReceived(RoomEventRecorded, frozen=True, kw_only=True):
    """A text reply the hub could not act on, forwarded to the coordinator; on the wire `notification:reply`.
    The staff member's phone and words are for staff: travelers in the room get the seq only (`room:skip`)."""

    name = "notification.reply"
    visible_to = Audience.STAFF
