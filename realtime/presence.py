"""Who is in which room, across processes.

Entries are kept per connection (`sid`) and folded per user, so a user with three tabs is online once.
In scale-out mode they live in Redis, tagged with the process that holds the socket; every process
refreshes a heartbeat key, and a sweeper removes the entries of processes whose heartbeat expired,
so the users of a crashed process disappear within `presence_ttl_seconds` plus one heartbeat.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from domains.kernel.runtime import Hub

ONLINE, AWAY, OFFLINE = "online", "away", "offline"


@dataclass(frozen=True, slots=True)
class Member:
    user_id: str
    name: str
    status: str

    def view(self) -> dict[str, str]:
        return {"id": self.user_id, "name": self.name, "status": self.status}


def fold(entries: list[Member]) -> dict[str, Member]:
    """One member per user: online if any of their connections is online."""
    users: dict[str, Member] = {}
    for entry in entries:
        known = users.get(entry.user_id)
        if known is None or (known.status != ONLINE and entry.status == ONLINE):
            users[entry.user_id] = entry
    return users


class PresenceStore(Protocol):
    async def put(self, room: str, sid: str, member: Member) -> None: ...
    async def drop(self, room: str, sid: str) -> None: ...
    async def entries(self, room: str) -> list[Member]: ...
    async def heartbeat(self) -> None: ...
    async def sweep(self) -> dict[str, list[Member]]:
        """Remove the entries of dead processes; returns, per room, the entries removed."""
        ...

    async def close(self) -> None: ...


class MemoryPresence:
    def __init__(self) -> None:
        self._rooms: dict[str, dict[str, Member]] = defaultdict(dict)

    async def put(self, room: str, sid: str, member: Member) -> None:
        self._rooms[room][sid] = member

    async def drop(self, room: str, sid: str) -> None:
        members = self._rooms.get(room)
        if members is not None:
            members.pop(sid, None)
            if not members:
                del self._rooms[room]  # empty rooms must not pile up in memory

    async def entries(self, room: str) -> list[Member]:
        return list(self._rooms.get(room, {}).values())

    async def heartbeat(self) -> None:
        return None

    async def sweep(self) -> dict[str, list[Member]]:
        return {}

    async def close(self) -> None:
        self._rooms.clear()


class RedisPresence:
    def __init__(self, redis: Redis, prefix: str, process_id: str, ttl_seconds: float) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:presence"
        self.process_id = process_id
        self.ttl_ms = int(ttl_seconds * 1000)

    def _room(self, room: str) -> str:
        return f"{self.prefix}:room:{room}"

    def _rooms_of(self, process_id: str) -> str:
        return f"{self.prefix}:proc:{process_id}:rooms"

    def _alive(self, process_id: str) -> str:
        return f"{self.prefix}:alive:{process_id}"

    async def put(self, room: str, sid: str, member: Member) -> None:
        value = json.dumps({"user_id": member.user_id, "name": member.name, "status": member.status})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._room(room), f"{self.process_id}|{sid}", value)
            pipe.sadd(self._rooms_of(self.process_id), room)
            await pipe.execute()

    async def drop(self, room: str, sid: str) -> None:
        await self.redis.hdel(self._room(room), f"{self.process_id}|{sid}")

    async def entries(self, room: str) -> list[Member]:
        raw = await self.redis.hgetall(self._room(room))
        return [Member(**json.loads(value)) for value in raw.values()]

    async def heartbeat(self) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._alive(self.process_id), "1", px=self.ttl_ms)
            pipe.sadd(f"{self.prefix}:procs", self.process_id)
            await pipe.execute()

    async def sweep(self) -> dict[str, list[Member]]:
        removed: dict[str, list[Member]] = {}
        for raw_id in await self.redis.smembers(f"{self.prefix}:procs"):
            process_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
            if process_id == self.process_id or await self.redis.exists(self._alive(process_id)):
                continue
            # One survivor claims the cleanup, so the "offline" news goes out once.
            if not await self.redis.set(
                f"{self.prefix}:sweeping:{process_id}", self.process_id, nx=True, px=self.ttl_ms
            ):
                continue
            for raw_room in await self.redis.smembers(self._rooms_of(process_id)):
                room = raw_room.decode() if isinstance(raw_room, bytes) else str(raw_room)
                fields = [
                    field.decode() if isinstance(field, bytes) else str(field)
                    for field in await self.redis.hkeys(self._room(room))
                ]
                dead = [field for field in fields if field.startswith(f"{process_id}|")]
                if dead:
                    values = await self.redis.hmget(self._room(room), dead)
                    await self.redis.hdel(self._room(room), *dead)
                    removed[room] = [Member(**json.loads(value)) for value in values if value]
            await self.redis.delete(self._rooms_of(process_id))
            await self.redis.srem(f"{self.prefix}:procs", process_id)
        return removed

    async def close(self) -> None:
        """A clean shutdown: drop this process's entries at once instead of waiting for the sweep."""
        for raw_room in await self.redis.smembers(self._rooms_of(self.process_id)):
            room = raw_room.decode() if isinstance(raw_room, bytes) else str(raw_room)
            fields = [f.decode() if isinstance(f, bytes) else str(f) for f in await self.redis.hkeys(self._room(room))]
            mine = [field for field in fields if field.startswith(f"{self.process_id}|")]
            if mine:
                await self.redis.hdel(self._room(room), *mine)
        await self.redis.delete(self._rooms_of(self.process_id), self._alive(self.process_id))
        await self.redis.srem(f"{self.prefix}:procs", self.process_id)


def presence_store(hub: Hub) -> PresenceStore:
    """This process's presence store: in Redis when processes share the rooms (each under its own id)."""
    settings = hub.settings
    if hub.redis is None:
        return MemoryPresence()
    return RedisPresence(hub.redis, settings.redis_prefix, uuid.uuid4().hex, settings.presence_ttl_seconds)
