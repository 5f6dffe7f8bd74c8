"""Route guards built on the shared RBAC check in `domains.kernel.security`: one guard per role set."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from domains.auth.service import Identity
from domains.kernel.errors import Forbidden
from domains.kernel.security import OFFICE_ROLES, STAFF_ROLES, Role, require_role


def current_identity(connection: ASGIConnection) -> Identity:  # type: ignore[type-arg]
    identity = connection.user
    assert isinstance(identity, Identity), "route is not behind authentication"
    return identity


def enrolled(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """Staff of an organization that requires two-factor sign-in must enrol before doing anything else."""
    if current_identity(connection).totp_enrollment_required:
        raise Forbidden("your organization requires two-factor sign-in: set it up at /api/v1/auth/totp/setup first")


def roles(*allowed: Role) -> Guard:
    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        enrolled(connection, handler)
        require_role(current_identity(connection).principal, *allowed)

    return guard


ADMINS = roles(Role.ADMIN)
OFFICE = roles(*OFFICE_ROLES)
STAFF = roles(*STAFF_ROLES)
PARTNERS = roles(Role.PARTNER)
OFFICE_OR_PARTNER = roles(*OFFICE_ROLES, Role.PARTNER)
