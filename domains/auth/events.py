from __future__ import annotations

from domains.kernel.bus import Event


class SessionRevoked(Event, frozen=True, kw_only=True):
    """A sign-in ended (logout, or a refresh token was replayed); its sockets should be dropped."""

    name = "auth.session_revoked"
    session_id: str
    user_id: str
    reason: str
