"""`/api/v1/auth/*` and `/api/v1/me`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from domains.auth.schemas import LoginRequest, RefreshRequest, TokenPair, TotpConfirm, TotpSetup, TotpSetupRequest
from domains.auth.service import AuthService
from domains.kernel.errors import Forbidden, Unauthenticated
from domains.kernel.runtime import Hub
from domains.users.schemas import UserOut
from domains.users.service import user_out
from web.deps import HubDep, IdentityDep, ServicesDep


def client_address(request: Request) -> str:  # type: ignore[type-arg]
    # uvicorn's proxy-header handling (FORWARDED_ALLOW_IPS) has already put the real client here.
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, exclude_from_auth=True)
    async def login(self, data: JSONBody[LoginRequest], request: Request, hub: HubDep) -> TokenPair:  # type: ignore[type-arg]
        """Exchange email and password (and a TOTP code when enrolled) for an access and a refresh token."""
        client = client_address(request)
        await hub.login_throttle.check(data.email, client)
        try:
            async with hub.unit_of_work() as uow:
                pair = await AuthService(uow.session, uow.bus, hub.tokens).login(data.email, data.password, data.totp)
        except Unauthenticated:
            await hub.login_throttle.failed(data.email, client)
            raise
        await hub.login_throttle.succeeded(data.email)
        return pair

    @post("/refresh", status_code=HTTP_200_OK, exclude_from_auth=True)
    async def refresh(self, data: JSONBody[RefreshRequest], hub: HubDep) -> TokenPair:
        """Rotate a refresh token. Presenting one that was already used ends its whole session."""
        async with hub.unit_of_work() as uow:
            return await AuthService(uow.session, uow.bus, hub.tokens).refresh(data.refresh_token)

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, identity: IdentityDep, services: ServicesDep) -> None:
        """End this session: its refresh tokens stop working and its access tokens are refused."""
        await services.auth.logout(identity.principal)

    @post("/totp/setup", status_code=HTTP_200_OK)
    async def totp_setup(
        self,
        identity: IdentityDep,
        services: ServicesDep,
        request: Request,  # type: ignore[type-arg]
        hub: HubDep,
        data: JSONBody[TotpSetupRequest | None] = None,
    ) -> TotpSetup:
        """Start two-factor enrolment: returns the secret and an otpauth:// URI for an authenticator app.
        When an authenticator is already bound, replacing it needs `password` or `current_code` (else 403)."""
        proof = data or TotpSetupRequest()
        user = await services.users.get(identity.principal.user_id)
        async with rebind_throttled(hub, user.email, client_address(request), proof.password or proof.current_code):
            return await services.auth.start_totp_setup(user, proof.password, proof.current_code)

    @post("/totp/confirm", status_code=HTTP_204_NO_CONTENT)
    async def totp_confirm(
        self,
        data: JSONBody[TotpConfirm],
        identity: IdentityDep,
        services: ServicesDep,
        request: Request,  # type: ignore[type-arg]
        hub: HubDep,
    ) -> None:
        """Finish enrolment with a current code of the new authenticator; from then on sign-in asks for one.
        Replacing a bound authenticator also needs `password` or `current_code` of the old one (else 403)."""
        user = await services.users.get(identity.principal.user_id)
        async with rebind_throttled(hub, user.email, client_address(request), data.password or data.current_code):
            await services.auth.confirm_totp(user, data.code, data.password, data.current_code)


@asynccontextmanager
async def rebind_throttled(hub: Hub, email: str, client: str, proof: str | None) -> AsyncIterator[None]:
    """A password or code sent to re-bind the authenticator counts against the sign-in throttle like a sign-in
    does, so a stolen session cannot be used to guess the password."""
    if proof is None:
        yield
        return
    await hub.login_throttle.check(email, client)
    try:
        yield
    except Forbidden:
        await hub.login_throttle.failed(email, client)
        raise


@get("/me", tags=["auth"])
async def me(identity: IdentityDep) -> UserOut:
    """The signed-in user."""
    return user_out(identity.user, identity.totp_enrollment_required)
