"""The Socket.IO server: connection auth, the connection registry, presence in rooms, and the door every
event goes through.

python-socketio is the transport. What it does not give us (authorization, persistence, replay,
presence across processes, rate limits) lives in the handlers and the domain services they call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
import socketio

from domains.auth.service import AuthService
from domains.kernel.errors import DomainError, TooLarge, Unauthenticated
from domains.kernel.rooms import BOARD, STAFF_AUDIENCE, TRAVELER_AUDIENCE, audience_room, user_room
from domains.kernel.runtime import Hub
from domains.kernel.security import SESSION_COOKIE, Principal, cookie_value
from realtime import metrics
from realtime.connections import Ack, Connection, error_ack, wire_room
from realtime.packets import Refused, bounded_packet
from realtime.presence import OFFLINE, Member, PresenceStore, fold
from realtime.ratelimit import TokenBucket
from realtime.schemas import decoded
from realtime.sessions import ENDED_EVENT, SessionGuard

log = logging.getLogger(__name__)

# The transport's own limit sits well above ours, so an oversized event gets an error ack instead of a
# dropped connection: up to this size a message is read (not parsed, see realtime/packets.py) and answered
# `payload_too_large`. Past it Engine.IO closes the connection (docs/realtime.md "Payload limits").
TRANSPORT_BUFFER_BYTES = 8 * 1024 * 1024
LONE_SURROGATE = "the payload holds a lone surrogate (such as \\ud800), which is not valid text"

Payload = TypeVar("Payload", bound=msgspec.Struct)
# What a refused event answers instead of the plain error ack: given the raw payload and that ack.
Refusal = Callable[[Connection, dict[str, Any], Ack], Awaitable[Ack]]


class Realtime:
    def __init__(self, hub: Hub, presence: PresenceStore) -> None:
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
            max_http_buffer_size=max(TRANSPORT_BUFFER_BYTES, 2 * settings.socket_max_payload_bytes),
            serializer=bounded_packet(settings.socket_max_payload_bytes),
            ping_interval=settings.socket_ping_interval_seconds,
            ping_timeout=settings.socket_ping_timeout_seconds,
        )
        self.presence = presence
        self.connections: dict[str, Connection] = {}
        # Ended sessions lose their sockets in every process; sockets re-check their session when their token expires.
        self.sessions = SessionGuard(hub, self.connections, self.close_connection)
        self._background: asyncio.Task[None] | None = None
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)

    def asgi(self, other_app: Any) -> socketio.ASGIApp:
        return socketio.ASGIApp(self.sio, other_asgi_app=other_app, socketio_path="socket.io")

    def on(
        self,
        event: str,
        handler: Callable[[Connection, Payload], Awaitable[Ack]],
        schema: type[Payload],
        refused: Refusal | None = None,
    ) -> None:
        """Register `handler` behind the checks every client event gets, so none of them can crash the socket;
        it receives the payload decoded into `schema`, and a payload that does not fit is `invalid`."""
        limit = self.hub.settings.socket_max_payload_bytes

        async def guarded(sid: str, data: Any = None) -> Ack:
            metrics.EVENTS_IN.labels(event).inc()
            connection = self.connections.get(sid)
            if connection is None:
                return {"ok": False, "error": "unauthenticated", "message": "the connection is not signed in"}
            if not connection.bucket.take():
                metrics.RATE_LIMITED.inc()
                return {"ok": False, "error": "rate_limited", "message": "too many events; slow down"}
            if isinstance(data, Refused):  # too large or too deep to be decoded (realtime/packets.py)
                log.info("socket event %s refused: %s", event, data.error.message)
                return error_ack(data.error)
            if not isinstance(data, dict):
                return {"ok": False, "error": "invalid", "message": "the payload must be an object"}
            try:
                size = len(msgspec.json.encode(data))
            except UnicodeEncodeError:
                # JSON may spell a lone surrogate ("\ud800"), which is not text: no database stores it.
                log.info("socket event %s refused: a lone surrogate in the payload", event)
                return {"ok": False, "error": "invalid", "message": LONE_SURROGATE}
            try:
                if size > limit:
                    raise TooLarge(f"the payload is larger than {limit} bytes")
                return {"ok": True, **await handler(connection, decoded(data, schema))}
            except DomainError as exc:
                return error_ack(exc) if refused is None else await refused(connection, data, error_ack(exc))
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
        connection = self.connections[sid] = Connection(
            sid=sid,
            principal=identity.principal,
            name=identity.user.name,
            bucket=TokenBucket(settings.socket_event_burst, settings.socket_events_per_second),
        )
        self.sessions.watch(connection, identity.expires_at)
        # Personal events (`user:<id>`) reach every connection of the user without an explicit join,
        # and presence in that room is what "online" means on the dispatch board.
        personal = user_room(identity.principal.user_id)
        await self.sio.enter_room(sid, personal)
        first = not await self.presence.entries(personal)
        await self.presence.put(personal, sid, Member(str(identity.principal.user_id), identity.user.name, "online"))
        metrics.CONNECTIONS.inc()
        if first:
            await self.announce_on_board(identity.principal, online=True)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.sessions.forget(sid)
        connection = self.connections.get(sid)
        if connection is None:
            return
        for room in list(connection.rooms):
            await self.leave(connection, room)
        personal = user_room(connection.principal.user_id)
        await self.presence.drop(personal, sid)
        self.connections.pop(sid, None)
        metrics.CONNECTIONS.dec()
        if not await self.presence.entries(personal):
            await self.announce_on_board(connection.principal, online=False)

    async def leave(self, connection: Connection, room: str) -> None:
        """Take the connection out of a room and its audiences, and tell the room if its user is gone."""
        connection.rooms.discard(room)
        await self.sio.leave_room(connection.sid, wire_room(room, connection.principal.org_id))
        for audience in (STAFF_AUDIENCE, TRAVELER_AUDIENCE):
            await self.sio.leave_room(
                connection.sid, audience_room(wire_room(room, connection.principal.org_id), audience)
            )
        await self.set_presence(connection, room, OFFLINE)

    async def set_presence(self, connection: Connection, room: str, status: str) -> None:
        """Store this connection's status in the room and tell the room when the user's folded status changed."""
        user_id = str(connection.principal.user_id)
        key = wire_room(room, connection.principal.org_id)
        before = fold(await self.presence.entries(key)).get(user_id)
        if status == OFFLINE:
            await self.presence.drop(key, connection.sid)
        else:
            await self.presence.put(key, connection.sid, Member(user_id, connection.name, status))
        after = fold(await self.presence.entries(key)).get(user_id)
        old, new = (before.status if before else OFFLINE), (after.status if after else OFFLINE)
        if old != new:
            await self.emit("presence:update", {"room": room, "user": connection.member, "status": new}, room=key)

    async def announce_departures(self, removed: dict[str, list[Member]]) -> None:
        """After the entries of a dead process were swept: who is now gone from each room."""
        for room, gone in removed.items():
            still_here = fold(await self.presence.entries(room))
            for member in {m.user_id: m for m in gone}.values():
                if member.user_id not in still_here:
                    user = {"id": member.user_id, "name": member.name}
                    await self.emit("presence:update", {"room": room, "user": user, "status": OFFLINE}, room=room)

    async def announce_on_board(self, principal: Principal, online: bool) -> None:
        """The dispatch board shows who is online: it hears a user's first connection and last goodbye."""
        data = {"user_id": str(principal.user_id), "online": online}
        await self.emit("board:presence", data, room=wire_room(BOARD, principal.org_id))

    async def online(self, user_ids: set[str]) -> set[str]:
        """Which of these users have at least one live connection, in any process."""
        found = set()
        for user_id in user_ids:
            if await self.presence.entries(user_room(uuid.UUID(user_id))):
                found.add(user_id)
        return found

    async def disconnect_session(self, session_id: uuid.UUID, reason: str) -> None:
        """A revoked sign-in loses its sockets, in this process and (through Redis) in every other."""
        await self.sessions.end(session_id, reason)

    async def close_connection(self, sid: str, ended: dict[str, str]) -> None:
        """Tell a socket of this process why its session is over (`session:ended`), then disconnect it."""
        metrics.SESSION_ENDS.inc()
        # Straight to the socket (not through the Redis queue), so it is sent before the disconnect.
        await self.sio.emit(ENDED_EVENT, ended, to=sid, ignore_queue=True)
        await self.sio.disconnect(sid, ignore_queue=True)

    async def start(self) -> None:
        await self.sessions.start()
        # Redis may be down at start; the hub still serves (and /readiness says why) while the loop retries.
        try:
            await self.presence.heartbeat()
        except Exception:
            log.warning("presence store unreachable at start; retrying in the background", exc_info=True)
        self._background = asyncio.create_task(self._keep_presence(), name="presence-heartbeat")

    async def stop(self) -> None:
        await self.sessions.stop()
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
                await self.announce_departures(await self.presence.sweep())
            except Exception:
                log.exception("presence heartbeat failed; retrying")
