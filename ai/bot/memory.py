"""What the assistant remembers of each traveler's conversation: the last intent, its slots (date, time,
place, kind), the language, and the last few turns (for a hand-off transcript).

In-process by default: an LRU bounded to ``bot_memory_max_travelers`` conversations, each forgotten
``bot_memory_ttl_seconds`` after its last turn. With Redis (``REDIS_URL``) every process of the hub shares it:
one JSON value per traveler with the same TTL, so a follow-up may land on another worker.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Protocol

import msgspec
from redis.asyncio import Redis

MAX_TURNS = 6  # what a coordinator needs to see in a hand-off; older turns are dropped


class Conversation(msgspec.Struct):
    language: str | None = None
    last_intent: str | None = None
    slots: dict[str, Any] = {}
    turns: list[dict[str, str]] = []
    # Consecutive questions the assistant did not understand: the second one goes to a person.
    unclear: int = 0

    def add_turns(self, *turns: dict[str, str]) -> None:
        self.turns = [*self.turns, *turns][-MAX_TURNS:]


class ConversationMemory(Protocol):
    async def load(self, key: str) -> Conversation: ...

    async def save(self, key: str, conversation: Conversation) -> None: ...


class LocalMemory:
    """One process's memory; ``clock`` is injectable so the TTL can be tested without sleeping."""

    def __init__(self, max_conversations: int, ttl_seconds: float, clock: Any = time.monotonic) -> None:
        self.max_conversations = max_conversations
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    async def load(self, key: str) -> Conversation:
        entry = self._items.get(key)
        if entry is None:
            return Conversation()
        saved_at, data = entry
        if self.clock() - saved_at > self.ttl_seconds:
            del self._items[key]
            return Conversation()
        # Stored encoded, so a caller mutating what it loaded never changes the memory behind our back.
        return msgspec.json.decode(data, type=Conversation)

    async def save(self, key: str, conversation: Conversation) -> None:
        self._items[key] = (self.clock(), msgspec.json.encode(conversation))
        self._items.move_to_end(key)
        while len(self._items) > self.max_conversations:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class RedisMemory:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_ms = max(1, int(ttl_seconds * 1000))

    def _key(self, key: str) -> str:
        return f"{self.prefix}:bot:conversation:{key}"

    async def load(self, key: str) -> Conversation:
        data = await self.redis.get(self._key(key))
        if not data:
            return Conversation()
        try:
            return msgspec.json.decode(data, type=Conversation)
        except msgspec.DecodeError:
            return Conversation()  # written by an older release: start afresh rather than fail the question

    async def save(self, key: str, conversation: Conversation) -> None:
        await self.redis.set(self._key(key), msgspec.json.encode(conversation), px=self.ttl_ms)
