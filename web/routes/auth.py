"""`/api/v1/auth/*` and `/api/v1/me`."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from domains.auth.schemas import LoginRequest, RefreshRequest, TokenPair, TotpConfirm, TotpSetup
from domains.auth.service import AuthService
from domains.kernel.errors import Unauthenticated
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
    async def totp_setup(self, identity: IdentityDep, services: ServicesDep) -> TotpSetup:
        """Start two-factor enrolment: returns the secret and an otpauth:// URI for an authenticator app."""
        user = await services.users.get(identity.principal.user_id)
        return await services.auth.start_totp_setup(user)

    @post("/totp/confirm", status_code=HTTP_204_NO_CONTENT)
    async def totp_confirm(self, data: JSONBody[TotpConfirm], identity: IdentityDep, services: ServicesDep) -> None:
        """Finish enrolment with a current code; from then on sign-in asks for one."""
        user = await services.users.get(identity.principal.user_id)
        await services.auth.confirm_totp(user, data.code)


@get("/me", tags=["auth"])
async def me(identity: IdentityDep) -> UserOut:
    """The signed-in user."""
    return user_out(identity.user, identity.totp_enrollment_required)
