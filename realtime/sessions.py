"""Sockets live only as long as their sign-in.

- When a session ends (sign-out, a replayed refresh token), `end()` closes its sockets in this process and,
  in scale-out, tells every other process through a Redis channel; each closes its own.
- A socket's access token is checked at the handshake only, so when that token expires the socket's session
  is checked again (`AuthService.check_session`): still good (not ended, the account active, renewable), the
  socket lives on until the next check one access-token lifetime later; otherwise it is closed with the
  reason. That check also closes sockets whose end a process missed (Redis unreachable at that moment).

A socket being closed first hears `session:ended` with `{reason, message}`, then the server disconnects it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from redis.asyncio.client import PubSub

from domains.auth.service import AuthService
from domains.kernel.errors import Unauthenticated
from domains.kernel.runtime import Hub
from realtime import metrics
from realtime.connections import Connection

log = logging.getLogger(__name__)

ENDED_EVENT = "session:ended"
# Why a session ended (the reason `AuthService` records) → what its sockets are told.
ENDED_MESSAGES = {
    "logout": "you signed out of this session",
    "refresh_token_reused": "this sign-in was ended for safety: its refresh token was used twice",
}
# After a failed check (the database unreachable), try again this soon rather than drop sockets.
RETRY_SECONDS = 5.0

Close = Callable[[str, dict[str, str]], Awaitable[None]]


class SessionGuard:
    """Closes the sockets of ended sessions in every process, and re-checks each socket's session when its
    access token expires. `close(sid, payload)` tells the socket why and disconnects it."""

    def __init__(self, hub: Hub, connections: Mapping[str, Connection], close: Close) -> None:
        self.hub = hub
        self.connections = connections
        self.close = close
        self.channel = f"{hub.settings.redis_prefix}:sessions:ended"
        self.origin = uuid.uuid4().hex  # this process, so it skips its own announcements
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._checks: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None

    # Sessions that ended

    async def end(self, session_id: uuid.UUID, reason: str) -> None:
        """Close the session's sockets here, and (scale-out) in every other process."""
        await self.close_local(session_id, reason)
        if self.hub.redis is None:
            return
        message = json.dumps({"session_id": str(session_id), "reason": reason, "origin": self.origin})
        try:
            await self.hub.redis.publish(self.channel, message)
        except Exception:
            # The other processes still close these sockets when their access tokens expire.
            log.warning("could not announce an ended session to the other processes", exc_info=True)

    async def close_local(self, session_id: uuid.UUID, reason: str) -> None:
        message = ENDED_MESSAGES.get(reason, "this session has ended; sign in again")
        for sid, connection in list(self.connections.items()):
            if connection.principal.session_id == session_id:
                await self.close(sid, {"reason": reason, "message": message})

    async def start(self) -> None:
        """Listen for other processes' ended sessions (scale-out). Subscribed before this returns when Redis
        is reachable, so a process that is serving hears every end announced from then on."""
        if self.hub.redis is None:
            return
        pubsub: PubSub | None = None
        try:
            pubsub = await self._subscribe()
        except Exception:
            log.warning("session channel unreachable at start; retrying in the background", exc_info=True)
        self._listener = asyncio.create_task(self._listen(pubsub), name="session-ends")

    async def stop(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        tasks = [*self._checks, *([self._listener] if self._listener else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _subscribe(self) -> PubSub:
        assert self.hub.redis is not None
        pubsub = self.hub.redis.pubsub()
        await pubsub.subscribe(self.channel)
        return pubsub

    async def _listen(self, pubsub: PubSub | None) -> None:
        while True:
            try:
                if pubsub is None:
                    pubsub = await self._subscribe()
                # A timeout below the client's socket timeout: an idle channel is not a broken one.
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is not None:
                    await self._heard(message.get("data"))
            except asyncio.CancelledError:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()
                raise
            except Exception:
                log.warning("session channel failed; resubscribing", exc_info=True)
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()
                pubsub = None
                await asyncio.sleep(1.0)

    async def _heard(self, data: Any) -> None:
        try:
            announced = json.loads(data)
            if announced.get("origin") == self.origin:
                return
            session_id = uuid.UUID(announced["session_id"])
            reason = str(announced.get("reason", "ended"))
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("ignoring a malformed message on the session channel")
            return
        await self.close_local(session_id, reason)

    # Sockets outliving their access token

    def watch(self, connection: Connection, expires_at: float) -> None:
        """Check the connection's session again when the token it connected with expires."""
        self._schedule(connection.sid, expires_at - time.time())

    def forget(self, sid: str) -> None:
        timer = self._timers.pop(sid, None)
        if timer is not None:
            timer.cancel()

    def _schedule(self, sid: str, delay: float) -> None:
        self.forget(sid)
        loop = asyncio.get_running_loop()
        self._timers[sid] = loop.call_later(max(delay, 0.0), self._spawn_check, sid)

    def _spawn_check(self, sid: str) -> None:
        self._timers.pop(sid, None)
        task = asyncio.create_task(self._check(sid), name=f"session-check-{sid}")
        self._checks.add(task)
        task.add_done_callback(self._checks.discard)

    async def _check(self, sid: str) -> None:
        connection = self.connections.get(sid)
        if connection is None:
            return
        try:
            async with self.hub.unit_of_work() as uow:
                await AuthService(uow.session, uow.bus, self.hub.tokens).check_session(connection.principal)
        except Unauthenticated as exc:
            metrics.SESSION_CHECKS.labels("closed").inc()
            if sid in self.connections:
                await self.close(sid, {"reason": "session_ended", "message": exc.message})
            return
        except Exception:
            log.warning("could not check a socket's session; trying again shortly", exc_info=True)
            if sid in self.connections:
                self._schedule(sid, RETRY_SECONDS)
            return
        metrics.SESSION_CHECKS.labels("kept").inc()
        if sid in self.connections:
            self._schedule(sid, self.hub.tokens.access_ttl_seconds)
