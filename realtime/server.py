"""The Socket.IO server: connection auth, the connection registry, and the wrapper every event goes through.

python-socketio is the transport. What it does not give us (authorization, persistence, replay,
presence across processes, rate limits) lives in the handlers and the domain services they call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import socketio

from domains.auth.service import AuthService
from domains.kernel.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooLarge, Unauthenticated
from domains.kernel.rooms import BOARD as BOARD_ROOM
from domains.kernel.runtime import Hub
from domains.kernel.security import SESSION_COOKIE, Principal, cookie_value
from realtime import metrics
from realtime.presence import Member, MemoryPresence, PresenceStore, RedisPresence
from realtime.ratelimit import TokenBucket
from realtime.rooms import announce_departures, leave_room, wire_room

log = logging.getLogger(__name__)

ERROR_CODES: dict[type[DomainError], str] = {
    Forbidden: "forbidden",
    NotFound: "not_found",
    Invalid: "invalid",
    Conflict: "conflict",
    Unauthenticated: "unauthenticated",
    TooLarge: "payload_too_large",
}
# The transport's own limit sits well above ours, so an oversized event gets an error ack
# instead of a dropped connection.
TRANSPORT_BUFFER_BYTES = 1024 * 1024

Ack = dict[str, Any]
Handler = Callable[["Connection", dict[str, Any]], Awaitable[Ack]]


@dataclass
class Connection:
    sid: str
    principal: Principal
    name: str
    bucket: TokenBucket
    rooms: set[str] = field(default_factory=set)
    status: str = "online"

    @property
    def member(self) -> dict[str, str]:
        return {"id": str(self.principal.user_id), "name": self.name}


def error_ack(exc: DomainError) -> Ack:
    code = next((code for kind, code in ERROR_CODES.items() if isinstance(exc, kind)), "error")
    return {"ok": False, "error": code, "message": exc.message}


class Realtime:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        settings = hub.settings
        manager = (
            socketio.AsyncRedisManager(settings.redis_url, channel=f"{settings.redis_prefix}:socketio")
            if settings.redis_url
            else None
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            cors_allowed_origins=settings.cors_origins or None,
            max_http_buffer_size=TRANSPORT_BUFFER_BYTES,
            ping_interval=settings.socket_ping_interval_seconds,
            ping_timeout=settings.socket_ping_timeout_seconds,
        )
        self.process_id = uuid.uuid4().hex
        self.presence: PresenceStore = (
            RedisPresence(hub.redis, settings.redis_prefix, self.process_id, settings.presence_ttl_seconds)
            if hub.redis is not None
            else MemoryPresence()
        )
        self.connections: dict[str, Connection] = {}
        self._background: asyncio.Task[None] | None = None
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)

    def asgi(self, other_app: Any) -> socketio.ASGIApp:
        return socketio.ASGIApp(self.sio, other_asgi_app=other_app, socketio_path="socket.io")

    def on(self, event: str, handler: Handler) -> None:
        """Register `handler` behind the checks every client event gets, so none of them can crash the socket."""
        limit = self.hub.settings.socket_max_payload_bytes

        async def guarded(sid: str, data: Any = None) -> Ack:
            metrics.EVENTS_IN.labels(event).inc()
            connection = self.connections.get(sid)
            if connection is None:
                return {"ok": False, "error": "unauthenticated", "message": "the connection is not signed in"}
            if not connection.bucket.take():
                metrics.RATE_LIMITED.inc()
                return {"ok": False, "error": "rate_limited", "message": "too many events; slow down"}
            if not isinstance(data, dict):
                return {"ok": False, "error": "invalid", "message": "the payload must be an object"}
            try:
                if len(msgspec.json.encode(data)) > limit:
                    raise TooLarge(f"the payload is larger than {limit} bytes")
                return {"ok": True, **await handler(connection, data)}
            except DomainError as exc:
                return error_ack(exc)
            except Exception:
                log.exception("socket event failed", extra={"event": event})
                return {"ok": False, "error": "internal", "message": "something went wrong; try again"}

        self.sio.on(event, guarded)

    async def emit(self, event: str, data: dict[str, Any], room: str, skip_sid: str | None = None) -> None:
        metrics.EVENTS_OUT.labels(event).inc()
        await self.sio.emit(event, data, room=room, skip_sid=skip_sid)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            # The web app's pages hold no token: their same-origin handshake carries the HttpOnly
            # session cookie instead (Socket.IO already refuses foreign origins), checked the same way.
            token = cookie_value(environ.get("HTTP_COOKIE", ""), SESSION_COOKIE)
        if not isinstance(token, str) or not token:
            metrics.REFUSED_CONNECTIONS.inc()
            raise socketio.exceptions.ConnectionRefusedError(
                "unauthenticated: connect with auth={'token': <access token>} or sign in on the web"
            )
        try:
            async with self.hub.unit_of_work() as uow:
                identity = await AuthService(uow.session, uow.bus, self.hub.tokens).identify(token)
        except Unauthenticated as exc:
            metrics.REFUSED_CONNECTIONS.inc()
            raise socketio.exceptions.ConnectionRefusedError(f"unauthenticated: {exc.message}") from None
        if identity.totp_enrollment_required:
            metrics.REFUSED_CONNECTIONS.inc()
            raise socketio.exceptions.ConnectionRefusedError("forbidden: set up two-factor sign-in first")
        settings = self.hub.settings
        self.connections[sid] = Connection(
            sid=sid,
            principal=identity.principal,
            name=identity.user.name,
            bucket=TokenBucket(settings.socket_event_burst, settings.socket_events_per_second),
        )
        # Personal events (`user:<id>`) reach every connection of the user without an explicit join,
        # and presence in that room is what "online" means on the dispatch board.
        user_room = f"user:{identity.principal.user_id}"
        await self.sio.enter_room(sid, user_room)
        first = not await self.presence.entries(user_room)
        await self.presence.put(user_room, sid, Member(str(identity.principal.user_id), identity.user.name, "online"))
        metrics.CONNECTIONS.inc()
        if first:
            await self.announce_on_board(identity.principal, online=True)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        connection = self.connections.get(sid)
        if connection is None:
            return
        for room in list(connection.rooms):
            await leave_room(self, connection, room)
        user_room = f"user:{connection.principal.user_id}"
        await self.presence.drop(user_room, sid)
        self.connections.pop(sid, None)
        metrics.CONNECTIONS.dec()
        if not await self.presence.entries(user_room):
            await self.announce_on_board(connection.principal, online=False)

    async def announce_on_board(self, principal: Principal, online: bool) -> None:
        """The dispatch board shows who is online: it hears a user's first connection and last goodbye."""
        data = {"user_id": str(principal.user_id), "online": online}
        await self.emit("board:presence", data, room=wire_room(BOARD_ROOM, principal.org_id))

    async def online(self, user_ids: set[str]) -> set[str]:
        """Which of these users have at least one live connection, in any process."""
        found = set()
        for user_id in user_ids:
            if await self.presence.entries(f"user:{user_id}"):
                found.add(user_id)
        return found

    async def disconnect_session(self, session_id: uuid.UUID) -> None:
        """A revoked sign-in loses its sockets in this process."""
        for sid, connection in list(self.connections.items()):
            if connection.principal.session_id == session_id:
                await self.sio.disconnect(sid)

    async def start(self) -> None:
        # Redis may be down at start; the hub still serves (and /readiness says why) while the loop retries.
        try:
            await self.presence.heartbeat()
        except Exception:
            log.warning("presence store unreachable at start; retrying in the background", exc_info=True)
        self._background = asyncio.create_task(self._keep_presence(), name="presence-heartbeat")

    async def stop(self) -> None:
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
        with contextlib.suppress(Exception):
            await self.presence.close()

    async def _keep_presence(self) -> None:
        while True:
            await asyncio.sleep(self.hub.settings.presence_heartbeat_seconds)
            try:
                await self.presence.heartbeat()
                await announce_departures(self, await self.presence.sweep())
            except Exception:
                log.exception("presence heartbeat failed; retrying")
