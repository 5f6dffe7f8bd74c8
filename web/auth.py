"""Authentication as the app-wide first guard: a Bearer token, or the web app's cookie session.

A guard (not a middleware) so a refused request is an ordinary response that metrics and logs see.
Handlers marked `exclude_from_auth=True` (health, sign-in, docs) skip it.

Cookies ride along with every request the browser makes, including ones a hostile page triggers, so a
write authenticated by the cookie must also carry `X-CSRF-Token` equal to the `hub_csrf` cookie (which
only our own pages can read) and to the value bound to the session. Bearer callers need no such check:
a browser never adds an Authorization header by itself.
"""

from __future__ import annotations

import hmac

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domains.auth.service import AuthService
from domains.kernel.errors import Forbidden, Unauthenticated
from domains.kernel.runtime import Hub
from domains.kernel.security import CSRF_COOKIE, SESSION_COOKIE, Principal, csrf_token_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_REFUSED = "this request needs the X-CSRF-Token header matching the hub_csrf cookie; reload the page"


def bearer_token(connection: ASGIConnection) -> str | None:  # type: ignore[type-arg]
    header = connection.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("sign in first: send 'Authorization: Bearer <access token>'")
    return token.strip()


def check_csrf(connection: ASGIConnection, principal: Principal | None, secret: str) -> None:  # type: ignore[type-arg]
    """Double submit, bound to the session when we know it: header == cookie (== HMAC of the session)."""
    header = connection.headers.get(CSRF_HEADER, "")
    cookie = connection.cookies.get(CSRF_COOKIE, "")
    if not header or not cookie or not hmac.compare_digest(header, cookie):
        raise Forbidden(CSRF_REFUSED)
    if principal is not None and not hmac.compare_digest(header, csrf_token_for(principal.session_id, secret)):
        raise Forbidden(CSRF_REFUSED)


METRICS_CLOSED = "metrics are closed in production until HUB_METRICS_TOKEN is set; then send it as a Bearer token"
METRICS_TOKEN_NEEDED = "/metrics needs 'Authorization: Bearer <HUB_METRICS_TOKEN>'"  # noqa: S105 - a message


def metrics_access(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """`/metrics` (outside the API's sign-in): the configured bearer token when one is set; in production
    nothing without it; open in development and tests when unset."""
    hub: Hub = connection.app.state.hub
    expected = hub.settings.metrics_token
    if not expected:
        if hub.settings.is_production:
            raise Forbidden(METRICS_CLOSED)
        return
    token = bearer_token(connection)
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthenticated(METRICS_TOKEN_NEEDED)


async def authenticate(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    if handler.opt.get("exclude_from_auth"):
        return
    hub: Hub = connection.app.state.hub
    token = bearer_token(connection)
    from_cookie = token is None
    if token is None:
        token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("sign in first: send 'Authorization: Bearer <access token>' or sign in on the web")
    async with hub.unit_of_work() as uow:
        identity = await AuthService(uow.session, uow.bus, hub.tokens).identify(token)
    if from_cookie and connection.scope.get("method", "GET") not in SAFE_METHODS:
        check_csrf(connection, identity.principal, hub.tokens.secret)
    connection.scope["user"] = identity
