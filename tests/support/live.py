"""Real Socket.IO clients over a real socket, recording what they receive."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import socketio

# Generous on purpose, like the HTTP clients (tests/support/server.py): on a loaded machine an answer can take
# seconds, and a test waits for the answer, not for a time.
PATIENCE_SECONDS = 60

SERVER_EVENTS = (
    "chat:message",
    "chat:updated",
    "itinerary:applied",
    "presence:update",
    "presence:typing",
    "file:shared",
    "board:update",
    "group:created",
    "voucher:issued",
    "voucher:transitioned",
    "voucher:redeemed",
    "flight:added",
    "rooming_list:updated",
    "bot:reply",
    "bot:handoff",
    "participant:needs_recorded",
    "session:ended",
    "alert:raised",
    "alert:escalated",
    "alert:acknowledged",
    "reminder:sent",
)


if TYPE_CHECKING:
    from tests.support.builders import Person


class Connect(Protocol):
    """The `clients` fixture: a signed-in socket for a person, closed when the test ends."""

    async def __call__(self, person: Person, transport: str = "websocket") -> LiveClient: ...


class LiveClient:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sio = socketio.AsyncClient(reconnection=False)
        self.received: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._changed = asyncio.Event()
        for event in SERVER_EVENTS:
            self.sio.on(event, self._recorder(event))
        self.sio.on("*", self._record_any)

    async def _record_any(self, event: str, data: Any = None) -> None:
        """Every other event the server sends is recorded too: a test asserts what someone must not get."""
        self.received[event].append(data)
        self._changed.set()

    def _recorder(self, event: str) -> Callable[[dict[str, Any]], Any]:
        async def record(data: dict[str, Any]) -> None:
            self.received[event].append(data)
            self._changed.set()

        return record

    async def connect(self, url: str, token: str | None, transport: str = "websocket") -> None:
        await self.sio.connect(
            url, auth={"token": token} if token else None, transports=[transport], wait_timeout=PATIENCE_SECONDS
        )

    async def call(self, event: str, data: Any = None) -> dict[str, Any]:
        return await self.sio.call(event, data, timeout=PATIENCE_SECONDS)  # type: ignore[no-any-return]

    async def join(self, room: str, since: int | None = None) -> dict[str, Any]:
        return await self.call("room:join", {"room": room} | ({"since": since} if since is not None else {}))

    async def wait_for(
        self,
        event: str,
        predicate: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = PATIENCE_SECONDS,
    ) -> dict[str, Any]:
        async def find() -> dict[str, Any]:
            while True:
                for data in self.received[event]:
                    if predicate(data):
                        return data
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
