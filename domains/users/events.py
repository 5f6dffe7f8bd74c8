from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class UserCreated(Event, frozen=True, kw_only=True):
    name = "user.created"
    visible_to = Audience.STAFF
    user_id: uuid.UUID
    role: str
