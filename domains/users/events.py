from __future__ import annotations

from domains.kernel.bus import Event


class UserCreated(Event, frozen=True, kw_only=True):
    name = "user.created"
    user_id: str
    role: str
