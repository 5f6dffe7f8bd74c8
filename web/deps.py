"""Dependency providers shared by the routes."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from domains.auth.service import Identity
from domains.kernel.runtime import Hub
from web.guards import current_identity


def provide_hub(state: State) -> Hub:
    return state.hub  # type: ignore[no-any-return]


def provide_identity(request: Request) -> Identity:  # type: ignore[type-arg]
    return current_identity(request)


DEPENDENCIES = {
    "hub": Provide(provide_hub, sync_to_thread=False),
    "identity": Provide(provide_identity, sync_to_thread=False),
}

HubDep = NamedDependency[Hub]
IdentityDep = NamedDependency[Identity]
