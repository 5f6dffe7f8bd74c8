"""Dependency providers shared by the routes.

Per request: `hub`, `identity` (the signed-in caller), `uow` (the caller's unit of work) and `services`
(the domain services on that unit of work). Per process: `storage`, `outbox`, `voucher_codes` and
`notification_config`, built once by `hub.wiring` and handed in through `web_dependencies`.

`uow` is a generator dependency. Litestar closes it after the handler has returned and its response has
been built, but before the response is sent: the commit, and the events dispatched after it, happen before
the client hears 200, so it can read its change right away. When the handler raises, Litestar throws the
exception into the generator, so the unit of work rolls back (or commits, for a `DomainError` that
`keeps_changes`) and the exception goes on to the error handlers. tests/platform/test_unit_of_work_dependency.py
shows each of these through real routes.

A few routes open short units of work of their own instead: those without a signed-in caller (sign-in, the
provider webhooks, the HTML pages), and the two uploads, whose bytes must arrive outside any transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from ai.bot.assistant import Bot
from ai.recommend.index import CatalogIndexes
from domains.auth.service import Identity
from domains.kernel.runtime import Hub
from domains.kernel.storage import LocalStorage
from domains.kernel.unit_of_work import UnitOfWork
from domains.notifications.local_outbox import LocalOutbox
from domains.notifications.service import NotificationConfig
from domains.vouchers.codes import VoucherCodes
from web.guards import current_identity
from web.services import Services

T = TypeVar("T")


def provide_hub(state: State) -> Hub:
    return state.hub  # type: ignore[no-any-return]


def provide_identity(request: Request) -> Identity:  # type: ignore[type-arg]
    return current_identity(request)


async def provide_uow(hub: NamedDependency[Hub], identity: NamedDependency[Identity]) -> AsyncIterator[UnitOfWork]:
    """The caller's unit of work for this request, scoped to their organization."""
    async with hub.unit_of_work(identity.principal.org_id) as uow:
        yield uow


def provide_services(
    uow: NamedDependency[UnitOfWork], hub: NamedDependency[Hub], voucher_codes: NamedDependency[VoucherCodes]
) -> Services:
    settings = hub.settings
    return Services(uow, hub.tokens, voucher_codes, settings.mail_domain, settings.max_group_days)


def once(value: T) -> Provide:
    """A per-process object, the same one for every request."""

    def provide() -> T:
        return value

    return Provide(provide, sync_to_thread=False)


def web_dependencies(
    *,
    storage: LocalStorage,
    outbox: LocalOutbox,
    voucher_codes: VoucherCodes,
    notification_config: NotificationConfig,
    assistant: Bot,
    catalog_indexes: CatalogIndexes,
) -> dict[str, Provide]:
    # Litestar resolves the dependencies of one depth concurrently, each in a task of its own. `uow` must
    # open in the request's own task (the SQLite writer gate is re-entrant per task), so it stays the only
    # dependency built from `hub` and `identity` alone: per-process objects take nothing, services take `uow`.
    return {
        "hub": Provide(provide_hub, sync_to_thread=False),
        "identity": Provide(provide_identity, sync_to_thread=False),
        "uow": Provide(provide_uow),
        "services": Provide(provide_services, sync_to_thread=False),
        "storage": once(storage),
        "outbox": once(outbox),
        "voucher_codes": once(voucher_codes),
        "notification_config": once(notification_config),
        "assistant": once(assistant),
        "catalog_indexes": once(catalog_indexes),
    }


HubDep = NamedDependency[Hub]
IdentityDep = NamedDependency[Identity]
UowDep = NamedDependency[UnitOfWork]
ServicesDep = NamedDependency[Services]
StorageDep = NamedDependency[LocalStorage]
OutboxDep = NamedDependency[LocalOutbox]
VoucherCodesDep = NamedDependency[VoucherCodes]
NotificationConfigDep = NamedDependency[NotificationConfig]
AssistantDep = NamedDependency[Bot]
CatalogIndexesDep = NamedDependency[CatalogIndexes]
