from __future__ import annotations

import uuid

from domains.kernel.bus import Event


class UserCreated(Event, frozen=True, kw_only=True):
    name = "user.created"
    user_id: uuid.UUID
    role: str
