"""Domain events and the bus that delivers them only after the change is committed.

A service records events on the unit of work's `EventBus`; the boundary commits and then calls
`dispatch()`. A rollback calls `discard()`, so subscribers never hear about changes that did not happen.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar, cast

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.rooms import Audience, RoomKey

log = logging.getLogger(__name__)


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """A fact that happened. `audience` names the rooms that should hear it (see `domains.kernel.rooms`);
    `visible_to` says who in those rooms may: every member, or only staff. It defaults to staff, so an event
    nobody thought about reaches no traveler; `user_room` keys name one person, who always hears it."""

    name: ClassVar[str]
    visible_to: ClassVar[Audience] = Audience.STAFF
    org_id: uuid.UUID
    audience: tuple[RoomKey, ...] = ()

    def payload(self) -> dict[str, Any]:
        """The event as the wire carries it: plain JSON values, without the audience."""
        data: dict[str, Any] = msgspec.to_builtins(self, enc_hook=_plain)
        data.pop("audience", None)
        return data


def _plain(value: object) -> object:
    # msgspec knows `str`, not its subclasses: a room key goes on the wire as the text it is.
    if isinstance(value, RoomKey):
        return str(value)
    raise NotImplementedError(f"{type(value).__name__} is not a wire value")


Subscriber = Callable[[Event], Awaitable[None]]
# Runs inside the unit of work, before commit, with its session: for writes that must commit
# together with the change or not at all (the notification outbox).
TransactionalSubscriber = Callable[[Event, AsyncSession], Awaitable[None]]
E = TypeVar("E", bound=Event)


class Subscribers:
    """The hub-wide registry of who listens to which event type (the table is in `hub.wiring`).

    A handler hears the types it names and their subclasses; naming none, it hears every event.
    """

    def __init__(self) -> None:
        self._after_commit: dict[type[Event], list[Subscriber]] = {}
        self._in_transaction: dict[type[Event], list[TransactionalSubscriber]] = {}

    def subscribe(self, handler: Callable[[E], Awaitable[None]], *event_types: type[E]) -> None:
        """After commit: the change happened; a failing handler is logged and the others still run."""
        for event_type in event_types or (Event,):
            self._after_commit.setdefault(event_type, []).append(cast(Subscriber, handler))

    def subscribe_in_transaction(
        self, handler: Callable[[E, AsyncSession], Awaitable[None]], *event_types: type[E]
    ) -> None:
        """Before commit, in the change's own transaction: a failing handler rolls the change back."""
        for event_type in event_types or (Event,):
            self._in_transaction.setdefault(event_type, []).append(cast(TransactionalSubscriber, handler))

    def unsubscribe(self, handler: Callable[..., Awaitable[None]]) -> None:
        for table in (self._after_commit, self._in_transaction):
            for handlers in table.values():
                if handler in handlers:
                    handlers.remove(handler)

    def handlers_for(self, event: Event) -> list[Subscriber]:
        return [handler for kind in _kinds(event) for handler in self._after_commit.get(kind, ())]

    def in_transaction_for(self, event: Event) -> list[TransactionalSubscriber]:
        return [handler for kind in _kinds(event) for handler in self._in_transaction.get(kind, ())]


def _kinds(event: Event) -> list[type]:
    """Who hears every event first, then the event's own type, then its base types."""
    return [Event, *(kind for kind in type(event).__mro__ if kind is not Event)]


class EventBus:
    """Per unit of work: collects events, then dispatches them once after commit."""

    def __init__(self, subscribers: Subscribers | None = None) -> None:
        self.subscribers = subscribers or Subscribers()
        self.pending: list[Event] = []

    def publish(self, event: Event) -> None:
        self.pending.append(event)

    def discard(self) -> None:
        self.pending.clear()

    async def before_commit(self, session: AsyncSession) -> None:
        """Let transactional subscribers write alongside the change; events they publish are seen too."""
        handled = 0
        while handled < len(self.pending):
            event = self.pending[handled]
            handled += 1
            for handler in self.subscribers.in_transaction_for(event):
                await handler(event, session)

    async def dispatch(self) -> None:
        events, self.pending = self.pending, []
        for event in events:
            for handler in self.subscribers.handlers_for(event):
                try:
                    await handler(event)
                except Exception:
                    # The change is committed; one failing subscriber must not hide it from the others.
                    log.exception("event subscriber failed", extra={"event": event.name})


@contextmanager
def capture_events(subscribers: Subscribers) -> Iterator[list[Event]]:
    """Collect every event dispatched while the block runs (Zulip's `verify_action` idea)."""
    captured: list[Event] = []

    async def collect(event: Event) -> None:
        captured.append(event)

    subscribers.subscribe(collect)
    try:
        yield captured
    finally:
        subscribers.unsubscribe(collect)
