"""Passwords, tokens, TOTP and role checks: the pieces every boundary shares."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import CookieError, SimpleCookie

import jwt
import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domains.kernel.errors import Forbidden, Unauthenticated

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
JWT_ALGORITHM = "HS256"


class Role(enum.StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    COORDINATOR = "coordinator"
    GUIDE = "guide"
    DRIVER = "driver"
    TRAVELER = "traveler"
    PARTNER = "partner"


STAFF_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR, Role.GUIDE, Role.DRIVER})
# The office plans groups, assigns people and issues vouchers; guides and drivers work in the field.
OFFICE_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER, Role.COORDINATOR})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Refresh tokens are stored only as digests, so a database leak does not hand out sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenSettings:
    secret: str
    access_ttl_seconds: int
    refresh_ttl_seconds: int


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the identity carried by an access token."""

    user_id: uuid.UUID
    org_id: uuid.UUID
    role: Role
    session_id: uuid.UUID

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def require_role(principal: Principal, *roles: Role) -> None:
    """The RBAC check shared by HTTP guards and socket handlers."""
    if principal.role not in roles:
        allowed = ", ".join(sorted(roles))
        raise Forbidden(f"this action needs one of the roles: {allowed}")


def issue_access_token(principal: Principal, secret: str, ttl_seconds: int, now: datetime | None = None) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "sub": str(principal.user_id),
        "org": str(principal.org_id),
        "role": principal.role.value,
        "sid": str(principal.session_id),
        "typ": "access",
        "iat": issued,
        "exp": issued + timedelta(seconds=ttl_seconds),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def read_access_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub", "sid"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("the access token has expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated("the access token is invalid") from exc
    if claims.get("typ") != "access":
        raise Unauthenticated("the access token is invalid")
    try:
        return Principal(
            user_id=uuid.UUID(claims["sub"]),
            org_id=uuid.UUID(claims["org"]),
            role=Role(claims["role"]),
            session_id=uuid.UUID(claims["sid"]),
        )
    except (KeyError, ValueError) as exc:
        raise Unauthenticated("the access token is invalid") from exc


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str = "Spirit Hub") -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def verify_totp(secret: str, code: str) -> bool:
    # One step of drift either way covers phones whose clocks are a little off.
    return pyotp.TOTP(secret).verify(code.strip(), valid_window=1)


# The web app's cookie session (docs/web.md). The access token rides in an HttpOnly cookie so a script
# injection cannot read it; the CSRF token is readable on purpose: scripts echo it in `X-CSRF-Token`.
SESSION_COOKIE = "hub_session"
REFRESH_COOKIE = "hub_refresh"
CSRF_COOKIE = "hub_csrf"


def csrf_token_for(session_id: uuid.UUID, secret: str) -> str:
    """Bound to the sign-in session, so a cookie planted by a sibling site cannot pass the check."""
    return hmac.new(secret.encode(), f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()


def cookie_value(cookie_header: str, name: str) -> str | None:
    """One cookie out of a raw `Cookie:` header; a malformed header counts as no cookie."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None and morsel.value else None
