"""The unit of work a boundary opens: one session and one event bus; commit, then dispatch."""

from __future__ import annotations

import asyncio
import uuid
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.kernel.bus import EventBus, Subscribers
from domains.kernel.db import ORG_SCOPE
from domains.kernel.errors import DomainError


class WriterGate:
    """One transaction at a time in this process, first come first served.

    SQLite takes its write lock at BEGIN; a second transaction would otherwise poll the lock with
    SQLite's busy handler, sleeping up to 100 ms between tries, which turns contention into latency.
    Re-entrant per task, so a unit of work opened inside another (same task) cannot deadlock.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._depth = 0

    async def acquire(self) -> None:
        task = asyncio.current_task()
        if self._owner is task and task is not None:
            self._depth += 1
            return
        await self._lock.acquire()
        self._owner, self._depth = task, 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


class UnitOfWork:
    """`async with UnitOfWork(...) as uow:` — commits on success and only then dispatches events.

    With `org_id` set, every query on organization-scoped tables sees only that organization's rows.
    """

    session: AsyncSession
    bus: EventBus

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        subscribers: Subscribers,
        org_id: uuid.UUID | None = None,
        gate: WriterGate | None = None,
    ) -> None:
        self._sessions = sessions
        self._subscribers = subscribers
        self._org_id = org_id
        self._gate = gate

    async def __aenter__(self) -> UnitOfWork:
        if self._gate is not None:
            await self._gate.acquire()
        self.session = self._sessions()
        if self._org_id is not None:
            self.session.info[ORG_SCOPE] = self._org_id
        self.bus = EventBus(self._subscribers)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        commit = exc_type is None or (isinstance(exc, DomainError) and exc.keeps_changes)
        try:
            if commit:
                await self.bus.before_commit(self.session)
                await self.session.commit()
            else:
                await self.session.rollback()
        except BaseException:
            self.bus.discard()
            raise
        finally:
            await self.session.close()
            if self._gate is not None:
                self._gate.release()
        if commit:
            await self.bus.dispatch()
        else:
            self.bus.discard()
