"""Sliding-window usage quotas (how many files, how many bytes): in memory, or in Redis so processes share them.

Built like the sign-in throttle (`throttle.py`): a window store behind a small protocol, and a policy on top.
A use is *taken* before the work starts, so parallel requests cannot all slip under the limit, then
*settled* at its real size, or *dropped* when the work fails.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from domains.kernel.errors import TooManyAttempts

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Allowance:
    """At most `files` uses and `size` bytes in one window."""

    files: int
    size: int


@dataclass(frozen=True, slots=True)
class Refusal:
    """Which of the keys refused, and in how many seconds enough of its window will have passed."""

    index: int
    wait_seconds: float


def _wait_until_it_fits(
    entries: Sequence[tuple[float, int]], allowance: Allowance, amount: int, now: float, window: float
) -> float:
    """0 when one more use of `amount` fits now; else the seconds until enough of the oldest uses expire."""
    count, total = len(entries), sum(size for _, size in entries)
    wait = 0.0
    for at, size in entries:  # oldest first
        if count + 1 <= allowance.files and total + amount <= allowance.size:
            return wait
        count, total, wait = count - 1, total - size, at + window - now
    if count + 1 <= allowance.files and total + amount <= allowance.size:
        return wait
    return window  # larger than the whole allowance: it never fits, say so with a whole window


class UsageWindow(Protocol):
    async def take(
        self, limits: Sequence[tuple[str, Allowance]], entry: str, amount: int, now: float
    ) -> Refusal | None:
        """Record one use of `amount` under every key if each stays within its allowance, else record nothing."""
        ...

    async def settle(self, keys: Sequence[str], entry: str, old: int, new: int) -> None:
        """Change a recorded use's amount from `old` to `new`, keeping its time."""
        ...

    async def drop(self, keys: Sequence[str], entry: str, amount: int) -> None: ...


class MemoryUsageWindow:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.seconds = seconds
        self.clock = clock
        self._uses: dict[str, dict[str, tuple[float, int]]] = {}
        self._next_sweep = 0.0

    def _trim(self, key: str, now: float) -> dict[str, tuple[float, int]]:
        uses = self._uses.get(key, {})
        for entry in [entry for entry, (at, _) in uses.items() if at <= now - self.seconds]:
            del uses[entry]
        return uses

    def _sweep(self, now: float) -> None:
        # Keys of people who stopped uploading are dropped once a window, so memory follows recent use only.
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.seconds
        for key in list(self._uses):
            if not self._trim(key, now):
                del self._uses[key]

    async def take(
        self, limits: Sequence[tuple[str, Allowance]], entry: str, amount: int, now: float
    ) -> Refusal | None:
        # No await between the check and the write: one event loop makes this atomic within the process.
        self._sweep(self.clock())
        worst: Refusal | None = None
        for index, (key, allowance) in enumerate(limits):
            uses = sorted(self._trim(key, now).values())
            wait = _wait_until_it_fits(uses, allowance, amount, now, self.seconds)
            if wait > 0 and (worst is None or wait > worst.wait_seconds):
                worst = Refusal(index, wait)
        if worst is not None:
            return worst
        for key, _ in limits:
            self._uses.setdefault(key, {})[entry] = (now, amount)
        return None

    async def settle(self, keys: Sequence[str], entry: str, old: int, new: int) -> None:
        for key in keys:
            uses = self._uses.get(key, {})
            if entry in uses:
                uses[entry] = (uses[entry][0], new)

    async def drop(self, keys: Sequence[str], entry: str, amount: int) -> None:
        for key in keys:
            self._uses.get(key, {}).pop(entry, None)


# KEYS: one sorted set per key, members "<entry>:<amount>" scored by time.
# ARGV: now, window seconds, member, amount, then max files and max bytes per key.
# Returns nil when the use was recorded under every key, else {index (1-based), wait seconds as a string}.
_TAKE = """
local now, window, member, amount = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local refused, worst = 0, 0
for i, key in ipairs(KEYS) do
  local max_files, max_bytes = tonumber(ARGV[3 + 2 * i]), tonumber(ARGV[4 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local uses = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local count, total = #uses / 2, 0
  for j = 1, #uses, 2 do total = total + tonumber(string.match(uses[j], ':(%d+)$')) end
  local wait, j = 0, 1
  while count + 1 > max_files or total + amount > max_bytes do
    if j > #uses then wait = window break end
    count = count - 1
    total = total - tonumber(string.match(uses[j], ':(%d+)$'))
    wait = tonumber(uses[j + 1]) + window - now
    j = j + 2
  end
  if wait > worst then refused, worst = i, wait end
end
if refused > 0 then return {refused, tostring(worst)} end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
end
return nil
"""


class RedisUsageWindow:
    """One sorted set per key, shared by every process on the same Redis; a Lua script checks and records
    under all keys at once, so two processes cannot both take the last place."""

    def __init__(self, redis: Redis, prefix: str, seconds: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.seconds = seconds
        self._take = redis.register_script(_TAKE)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:quota:{key}"

    async def take(
        self, limits: Sequence[tuple[str, Allowance]], entry: str, amount: int, now: float
    ) -> Refusal | None:
        args: list[str | int | float] = [repr(now), repr(self.seconds), f"{entry}:{amount}", amount]
        for _, allowance in limits:
            args += [allowance.files, allowance.size]
        refused = await self._take(keys=[self._key(key) for key, _ in limits], args=args)
        if refused:
            return Refusal(int(refused[0]) - 1, float(refused[1]))
        return None

    async def settle(self, keys: Sequence[str], entry: str, old: int, new: int) -> None:
        if old == new:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.zscore(self._key(key), f"{entry}:{old}")
            scores = await pipe.execute()
        async with self.redis.pipeline(transaction=True) as pipe:
            for key, score in zip(keys, scores, strict=True):
                if score is not None:
                    pipe.zrem(self._key(key), f"{entry}:{old}")
                    pipe.zadd(self._key(key), {f"{entry}:{new}": score})
            await pipe.execute()

    async def drop(self, keys: Sequence[str], entry: str, amount: int) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.zrem(self._key(key), f"{entry}:{amount}")
            await pipe.execute()


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _in_words(seconds: float) -> str:
    """A wait as people say it: "40 seconds", "12 minutes", "2 hours"."""
    if seconds < 90:
        return _count(max(1, math.ceil(seconds)), "second")
    if seconds < 90 * 60:
        return _count(math.ceil(seconds / 60), "minute")
    return _count(math.ceil(seconds / 3600), "hour")


def _per(seconds: float) -> str:
    """A window as people say it: "per hour", "per 10 minutes"."""
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % length == 0:
            n = int(seconds // length)
            return f"per {unit}" if n == 1 else f"per {n} {unit}s"
    return f"per {_count(math.ceil(seconds), 'second')}"


@dataclass
class UploadReservation:
    """A file's place in the quotas while it is received: settle it at its real size, or it is given back."""

    window: UsageWindow
    keys: list[str]
    entry: str
    size: int
    settled: bool = False

    async def settle(self, size: int) -> None:
        await self.window.settle(self.keys, self.entry, self.size, size)
        self.size, self.settled = size, True

    async def give_back(self) -> None:
        await self.window.drop(self.keys, self.entry, self.size)


class UploadQuota:
    """How much one person may share, and one room may receive, per window: files and bytes."""

    def __init__(
        self,
        window: UsageWindow,
        seconds: float,
        per_user: Allowance,
        per_room: Allowance,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.window = window
        self.seconds = seconds
        self.per_user = per_user
        self.per_room = per_room
        self.clock = clock

    def _refusal_message(self, who: str, allowance: Allowance, wait: float) -> str:
        limits = f"{_count(allowance.files, 'file')} or {allowance.size / MB:g} MB {_per(self.seconds)}"
        return f"{who} ({limits}); try again in {_in_words(wait)}"

    @asynccontextmanager
    async def reserve(self, user: str, room: str, size: int) -> AsyncIterator[UploadReservation]:
        """Take one file of (at most) `size` bytes from `user`'s and `room`'s allowances for the duration of the
        block; 429 (`TooManyAttempts`) when either is used up. The place is given back if the block fails."""
        limits = [(f"upload:user:{user}", self.per_user), (f"upload:room:{room}", self.per_room)]
        entry = secrets.token_hex(8)
        refused = await self.window.take(limits, entry, size, self.clock())
        if refused is not None:
            who = (
                "you have shared as many files as allowed for now"
                if refused.index == 0
                else "this room has received as many files as allowed for now"
            )
            allowance = limits[refused.index][1]
            raise TooManyAttempts(
                self._refusal_message(who, allowance, refused.wait_seconds),
                max(1, math.ceil(refused.wait_seconds)),
            )
        reservation = UploadReservation(self.window, [key for key, _ in limits], entry, size)
        try:
            yield reservation
        except BaseException:
            await reservation.give_back()
            raise
        if not reservation.settled:
            await reservation.give_back()
