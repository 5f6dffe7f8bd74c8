"""The unit of work a boundary opens: one session and one event bus; commit, then dispatch."""

from __future__ import annotations

import uuid
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.bus import EventBus, Subscribers
from hub.db import ORG_SCOPE
from hub.errors import DomainError


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
    ) -> None:
        self._sessions = sessions
        self._subscribers = subscribers
        self._org_id = org_id

    async def __aenter__(self) -> UnitOfWork:
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
        if commit:
            await self.bus.dispatch()
        else:
            self.bus.discard()
