"""`/api/v1/auth/web/*`: the browser's cookie session (docs/web.md).

The same sign-in, rotation and logout as the token API, but the tokens live in cookies:
- `hub_session`: the access token; HttpOnly, SameSite=Lax, path `/`, lives as long as the token.
- `hub_refresh`: the refresh token; HttpOnly, SameSite=Strict, sent only to these endpoints.
- `hub_csrf`: readable by our scripts, which echo it in `X-CSRF-Token` on every write.
All are `Secure` in production.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from domains.auth.schemas import LoginRequest, TokenPair
from domains.auth.service import TOTP_REQUIRED, AuthService
from domains.kernel.errors import NotFound, Unauthenticated
from domains.kernel.runtime import Hub
from domains.kernel.security import (
    CSRF_COOKIE,
    REFRESH_COOKIE,
    SESSION_COOKIE,
    csrf_token_for,
    read_access_token,
    totp_uri,
)
from domains.vouchers.codes import qr_svg
from web.auth import check_csrf
from web.deps import HubDep, IdentityDep, ServicesDep
from web.routes.auth import client_address

REFRESH_PATH = "/api/v1/auth/web"
NO_STORE = {"Cache-Control": "no-store"}  # answers that set or clear session cookies are never cached
# Where each role starts; the page routes send `/` here too.
HOME_BY_ROLE = {
    "admin": "/board",
    "dispatcher": "/board",
    "coordinator": "/board",
    "guide": "/me",
    "driver": "/me",
    "traveler": "/me",
    "partner": "/partner",
}


class SignedIn(msgspec.Struct):
    id: str
    name: str
    role: str
    home: str


def session_cookies(hub: Hub, pair: TokenPair) -> list[Cookie]:
    principal = read_access_token(pair.access_token, hub.tokens.secret)
    secure = hub.settings.is_production
    refresh_ttl = hub.tokens.refresh_ttl_seconds
    return [
        Cookie(
            key=SESSION_COOKIE,
            value=pair.access_token,
            max_age=pair.expires_in,
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure,
        ),
        Cookie(
            key=REFRESH_COOKIE,
            value=pair.refresh_token,
            max_age=refresh_ttl,
            path=REFRESH_PATH,
            httponly=True,
            samesite="strict",
            secure=secure,
        ),
        Cookie(
            key=CSRF_COOKIE,
            value=csrf_token_for(principal.session_id, hub.tokens.secret),
            max_age=refresh_ttl,
            path="/",
            httponly=False,
            samesite="strict",
            secure=secure,
        ),
    ]


def cleared_cookies(hub: Hub) -> list[Cookie]:
    secure = hub.settings.is_production
    return [
        Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, secure=secure),
        Cookie(key=REFRESH_COOKIE, value="", max_age=0, path=REFRESH_PATH, httponly=True, secure=secure),
        Cookie(key=CSRF_COOKIE, value="", max_age=0, path="/", secure=secure),
    ]


async def signed_in(hub: Hub, pair: TokenPair) -> Response[SignedIn]:
    async with hub.unit_of_work() as uow:
        identity = await AuthService(uow.session, uow.bus, hub.tokens).identify(pair.access_token)
    user = identity.user
    body = SignedIn(id=str(user.id), name=user.name, role=user.role, home=HOME_BY_ROLE.get(user.role, "/"))
    return Response(body, status_code=HTTP_200_OK, cookies=session_cookies(hub, pair), headers=NO_STORE)


class WebSessionController(Controller):
    path = "/auth/web"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True)
    async def login(self, data: JSONBody[LoginRequest], request: Request[Any, Any, Any], hub: HubDep) -> Response[Any]:
        """Sign in from the web app. When the account has two-factor sign-in and no code was sent, the
        answer is 401 with `totp_required: true`: ask for the code and send the same body with `totp`."""
        client = client_address(request)
        await hub.login_throttle.check(data.email, client)
        try:
            async with hub.unit_of_work() as uow:
                pair = await AuthService(uow.session, uow.bus, hub.tokens).login(data.email, data.password, data.totp)
        except Unauthenticated as exc:
            if exc.message == TOTP_REQUIRED and data.totp is None:
                # The password was right: asking for the second factor is not a failed attempt.
                return Response(
                    {"status_code": 401, "detail": exc.message, "totp_required": True},
                    status_code=401,
                    headers=NO_STORE,
                )
            await hub.login_throttle.failed(data.email, client)
            raise
        await hub.login_throttle.succeeded(data.email)
        return await signed_in(hub, pair)

    @post("/refresh", exclude_from_auth=True)
    async def refresh(self, request: Request[Any, Any, Any], hub: HubDep) -> Response[Any]:
        """Rotate the refresh cookie and renew the access cookie. 401 (and cleared cookies) when the
        session is over: the app then says "Your session has expired — sign in again"."""
        check_csrf(request, None, hub.tokens.secret)
        token = request.cookies.get(REFRESH_COOKIE)
        if not token:
            return expired(hub, "there is no session to renew; sign in again")
        try:
            async with hub.unit_of_work() as uow:
                pair = await AuthService(uow.session, uow.bus, hub.tokens).refresh(token)
        except Unauthenticated as exc:
            return expired(hub, exc.message)
        return await signed_in(hub, pair)

    @post("/logout", exclude_from_auth=True, status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request[Any, Any, Any], hub: HubDep) -> Response[None]:
        """End the session and clear the cookies, even when the access cookie has already expired."""
        if request.cookies.get(SESSION_COOKIE) or request.cookies.get(REFRESH_COOKIE):
            check_csrf(request, None, hub.tokens.secret)
        await end_session(hub, request.cookies.get(SESSION_COOKIE), request.cookies.get(REFRESH_COOKIE))
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=cleared_cookies(hub), headers=NO_STORE)

    @get("/totp/qr.svg", media_type="image/svg+xml")
    async def totp_qr(self, identity: IdentityDep, services: ServicesDep) -> Response[bytes]:
        """The two-factor secret being set up (after POST /auth/totp/setup) as a QR code to scan with an
        authenticator app; the enrolment page shows it next to the secret in text."""
        user = await services.users.get(identity.principal.user_id)
        if user.totp_pending_secret is None:
            raise NotFound("start the two-factor setup first")
        return Response(
            qr_svg(totp_uri(user.totp_pending_secret, user.email)), media_type="image/svg+xml", headers=NO_STORE
        )


def expired(hub: Hub, message: str) -> Response[Any]:
    return Response(
        {"status_code": 401, "detail": message},
        status_code=401,
        cookies=cleared_cookies(hub),
        headers=NO_STORE | {"WWW-Authenticate": "Bearer"},
    )


async def end_session(hub: Hub, access_token: str | None, refresh_token: str | None) -> None:
    """Revoke the server-side session behind the cookies; an expired access token is renewed first
    with the refresh token, so signing out never leaves a live refresh token behind."""
    try:
        async with hub.unit_of_work() as uow:
            auth = AuthService(uow.session, uow.bus, hub.tokens)
            if access_token:
                try:
                    await auth.logout((await auth.identify(access_token)).principal)
                    return
                except Unauthenticated:
                    pass
            if refresh_token:
                pair = await auth.refresh(refresh_token)
                await auth.logout(read_access_token(pair.access_token, hub.tokens.secret))
    except Unauthenticated:
        return  # nothing left to end
