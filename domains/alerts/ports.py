"""What the alerts need from outside the domain, passed in by `hub.wiring`: who is online, and when to escalate."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import timedelta

# Which of these users have a live connection right now (in any process): built from the realtime
# presence store, so the domain never imports realtime.
Online = Callable[[Collection[uuid.UUID]], Awaitable[set[uuid.UUID]]]


async def nobody_online(_: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """The port where no process serves sockets (a command, a test without a server)."""
    return set()


@dataclass(frozen=True)
class AlertConfig:
    escalate_after: timedelta = timedelta(minutes=10)
