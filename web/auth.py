"""Bearer-token authentication, as the app-wide first guard.

A guard (not a middleware) so a refused request is an ordinary response that metrics and logs see.
Handlers marked `exclude_from_auth=True` (health, sign-in, docs) skip it.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domains.auth.service import AuthService
from hub.core import Hub
from hub.errors import Unauthenticated


def bearer_token(connection: ASGIConnection) -> str:  # type: ignore[type-arg]
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("sign in first: send 'Authorization: Bearer <access token>'")
    return token.strip()


async def authenticate(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    if handler.opt.get("exclude_from_auth"):
        return
    hub: Hub = connection.app.state.hub
    token = bearer_token(connection)
    async with hub.unit_of_work() as uow:
        connection.scope["user"] = await AuthService(uow.session, uow.bus, hub.tokens).identify(token)
