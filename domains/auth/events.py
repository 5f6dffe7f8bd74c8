from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class SessionRevoked(Event, frozen=True, kw_only=True):
    """A sign-in ended (logout, or a refresh token was replayed); its sockets should be dropped."""

    name = "auth.session_revoked"
    visible_to = Audience.STAFF
    session_id: uuid.UUID
    user_id: uuid.UUID
    reason: str
