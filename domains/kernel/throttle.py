"""Sliding-window failure counters for login throttling: in memory, or in Redis so processes share them."""

from __future__ import annotations

import math
import secrets
import time
from collections import defaultdict, deque
from typing import Protocol

from redis.asyncio import Redis

from domains.kernel.errors import TooManyAttempts


class FailureWindow(Protocol):
    async def record(self, key: str) -> None: ...
    async def reset(self, key: str) -> None: ...
    async def oldest_and_count(self, key: str) -> tuple[float | None, int]:
        """The oldest recorded time inside the window and how many there are."""
        ...


class MemoryWindow:
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def _trim(self, key: str) -> deque[float]:
        hits = self._hits[key]
        horizon = time.time() - self.seconds
        while hits and hits[0] <= horizon:
            hits.popleft()
        if not hits:
            # Dropping empty keys keeps memory bounded by recent failures, not by every email ever tried.
            del self._hits[key]
        return hits

    async def record(self, key: str) -> None:
        self._trim(key)
        self._hits[key].append(time.time())

    async def reset(self, key: str) -> None:
        self._hits.pop(key, None)

    async def oldest_and_count(self, key: str) -> tuple[float | None, int]:
        hits = self._trim(key)
        return (hits[0] if hits else None), len(hits)


class RedisWindow:
    def __init__(self, redis: Redis, prefix: str, seconds: int) -> None:
        self.redis = redis
        self.prefix = prefix
        self.seconds = seconds

    def _key(self, key: str) -> str:
        return f"{self.prefix}:throttle:{key}"

    async def record(self, key: str) -> None:
        now = time.time()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(self._key(key), "-inf", now - self.seconds)
            pipe.zadd(self._key(key), {f"{now}:{secrets.token_hex(4)}": now})
            pipe.expire(self._key(key), self.seconds)
            await pipe.execute()

    async def reset(self, key: str) -> None:
        await self.redis.delete(self._key(key))

    async def oldest_and_count(self, key: str) -> tuple[float | None, int]:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(self._key(key), "-inf", time.time() - self.seconds)
            pipe.zrange(self._key(key), 0, 0, withscores=True)
            pipe.zcard(self._key(key))
            _, oldest, count = await pipe.execute()
        return (float(oldest[0][1]) if oldest else None), int(count)


class LoginThrottle:
    """Refuses sign-in after too many recent failures for one email or from one client address."""

    def __init__(self, window: FailureWindow, seconds: int, per_email: int, per_client: int) -> None:
        self.window = window
        self.seconds = seconds
        self.limits = {"email": per_email, "client": per_client}

    async def check(self, email: str, client: str) -> None:
        for kind, key in (("email", email.strip().lower()), ("client", client)):
            oldest, count = await self.window.oldest_and_count(f"{kind}:{key}")
            if oldest is not None and count >= self.limits[kind]:
                retry_after = max(1, math.ceil(oldest + self.seconds - time.time()))
                raise TooManyAttempts("too many failed sign-in attempts; try again later", retry_after)

    async def failed(self, email: str, client: str) -> None:
        await self.window.record(f"email:{email.strip().lower()}")
        await self.window.record(f"client:{client}")

    async def succeeded(self, email: str) -> None:
        await self.window.reset(f"email:{email.strip().lower()}")
