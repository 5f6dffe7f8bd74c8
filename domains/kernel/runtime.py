"""The `Hub`: long-lived resources of one process (engine, Redis, subscribers, sign-in throttle, upload quota)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domains.kernel.bus import Subscribers
from domains.kernel.db import create_engine, session_factory
from domains.kernel.quota import Allowance, MemoryUsageWindow, RedisUsageWindow, UploadQuota, UsageWindow
from domains.kernel.security import TokenSettings
from domains.kernel.settings import Settings
from domains.kernel.throttle import FailureWindow, LoginThrottle, MemoryWindow, RedisWindow
from domains.kernel.unit_of_work import UnitOfWork, WriterGate


class Hub:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine: AsyncEngine = create_engine(settings.effective_database_url)
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.subscribers = Subscribers()
        # SQLite serializes writers anyway; queueing them here avoids its sleeping busy handler.
        self.writer_gate = WriterGate() if settings.uses_sqlite else None
        self.redis: Redis | None = (
            Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
            if settings.redis_url
            else None
        )
        window: FailureWindow = (
            RedisWindow(self.redis, settings.redis_prefix, settings.login_window_seconds)
            if self.redis is not None
            else MemoryWindow(settings.login_window_seconds)
        )
        self.login_throttle = LoginThrottle(
            window,
            settings.login_window_seconds,
            per_email=settings.login_attempts_per_email,
            per_client=settings.login_attempts_per_client,
        )
        self.upload_quota = upload_quota(settings, self.redis)
        self.tokens = TokenSettings(
            secret=settings.signing_secret(),
            access_ttl_seconds=settings.access_token_ttl_seconds,
            refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
        )

    def clock(self) -> datetime:
        """Now, as the hub's jobs see it; tests replace it to move time."""
        return datetime.now(UTC)

    def unit_of_work(self, org_id: uuid.UUID | None = None) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.subscribers, org_id, self.writer_gate)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


def upload_quota(settings: Settings, redis: Redis | None) -> UploadQuota:
    """Per person and per room, kept in this process or, in scale-out, in Redis for every process."""
    seconds = settings.upload_quota_window_seconds
    usage: UsageWindow = (
        RedisUsageWindow(redis, settings.redis_prefix, seconds) if redis is not None else MemoryUsageWindow(seconds)
    )
    return UploadQuota(
        usage,
        seconds,
        per_user=Allowance(settings.upload_quota_user_files, settings.upload_quota_user_bytes),
        per_room=Allowance(settings.upload_quota_room_files, settings.upload_quota_room_bytes),
    )
