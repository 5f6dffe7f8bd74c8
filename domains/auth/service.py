"""Signing in: credentials, rotating refresh tokens with replay detection, TOTP, sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domains.auth.events import SessionRevoked
from domains.auth.schemas import TokenPair, TotpSetup
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Invalid, SessionReplayed, Unauthenticated
from domains.kernel.rooms import user_room
from domains.kernel.security import (
    STAFF_ROLES,
    Principal,
    Role,
    TokenSettings,
    issue_access_token,
    new_opaque_token,
    new_totp_secret,
    read_access_token,
    token_digest,
    totp_uri,
    verify_password,
    verify_totp,
)
from domains.models import AuthSession, Organization, RefreshToken, User
from domains.users.service import normalize_email

BAD_CREDENTIALS = "invalid email or password"
TOTP_REQUIRED = "a one-time code from the authenticator app is required"


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated caller with the rows behind the token."""

    principal: Principal
    user: User
    totp_enrollment_required: bool


class AuthService:
    """Runs in an unscoped unit of work: sign-in happens before we know the organization."""

    def __init__(self, session: AsyncSession, bus: EventBus, tokens: TokenSettings) -> None:
        self.session = session
        self.bus = bus
        self.tokens = tokens

    async def login(self, email: str, password: str, totp: str | None) -> TokenPair:
        result = await self.session.execute(select(User).where(User.email == normalize_email(email)))
        user = result.scalar_one_or_none()
        password_ok = verify_password(user.password_hash if user else None, password)
        if user is None or not password_ok or not user.is_active:
            raise Unauthenticated(BAD_CREDENTIALS)
        if user.totp_secret is not None:
            if totp is None:
                raise Unauthenticated(TOTP_REQUIRED)
            if not verify_totp(user.totp_secret, totp):
                raise Unauthenticated("the one-time code is wrong or expired")
        auth_session = AuthSession(id=uuid.uuid4(), org_id=user.org_id, user_id=user.id)
        self.session.add(auth_session)
        return await self._issue(user, auth_session)

    async def refresh(self, refresh_token: str) -> TokenPair:
        now = utcnow()
        row = (
            await self.session.execute(select(RefreshToken).where(RefreshToken.digest == token_digest(refresh_token)))
        ).scalar_one_or_none()
        if row is None:
            raise Unauthenticated("the refresh token is invalid")
        auth_session = await self.session.get(AuthSession, row.session_id)
        if auth_session is None or auth_session.revoked_at is not None:
            raise Unauthenticated("this session has ended; sign in again")
        if row.expires_at <= now:
            raise Unauthenticated("the refresh token has expired; sign in again")
        # A conditional update claims the token, so of two concurrent uses exactly one wins.
        claimed = await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            await self._revoke(auth_session, "refresh_token_reused", now)
            raise SessionReplayed("this refresh token was already used; the session has been ended for safety")
        user = await self.session.get(User, auth_session.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("the account is disabled")
        return await self._issue(user, auth_session)

    async def logout(self, principal: Principal) -> None:
        auth_session = await self.session.get(AuthSession, principal.session_id)
        if auth_session is not None and auth_session.revoked_at is None:
            await self._revoke(auth_session, "logout", utcnow())

    async def identify(self, access_token: str) -> Identity:
        """The caller behind an access token, refusing ended sessions and disabled accounts."""
        principal = read_access_token(access_token, self.tokens.secret)
        row = (
            await self.session.execute(
                select(User, AuthSession, Organization.require_totp_for_staff)
                .join(AuthSession, AuthSession.user_id == User.id)
                .join(Organization, Organization.id == User.org_id)
                .where(AuthSession.id == principal.session_id, User.id == principal.user_id)
            )
        ).one_or_none()
        if row is None:
            raise Unauthenticated("the access token is invalid")
        user, auth_session, require_totp = row
        if auth_session.revoked_at is not None:
            raise Unauthenticated("this session has ended; sign in again")
        if not user.is_active:
            raise Unauthenticated("the account is disabled")
        enrollment_required = bool(require_totp) and user.totp_secret is None and Role(user.role) in STAFF_ROLES
        return Identity(principal=principal, user=user, totp_enrollment_required=enrollment_required)

    async def start_totp_setup(self, user: User) -> TotpSetup:
        secret = new_totp_secret()
        user.totp_pending_secret = secret
        return TotpSetup(secret=secret, provisioning_uri=totp_uri(secret, user.email))

    async def confirm_totp(self, user: User, code: str) -> None:
        if user.totp_pending_secret is None:
            raise Invalid("start the two-factor setup first")
        if not verify_totp(user.totp_pending_secret, code):
            raise Invalid("the one-time code is wrong or expired")
        user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None

    async def _issue(self, user: User, auth_session: AuthSession) -> TokenPair:
        refresh_token = new_opaque_token()
        self.session.add(
            RefreshToken(
                id=uuid.uuid4(),
                org_id=user.org_id,
                session_id=auth_session.id,
                digest=token_digest(refresh_token),
                expires_at=utcnow() + timedelta(seconds=self.tokens.refresh_ttl_seconds),
            )
        )
        await self.session.flush()
        principal = Principal(user_id=user.id, org_id=user.org_id, role=Role(user.role), session_id=auth_session.id)
        access_token = issue_access_token(principal, self.tokens.secret, self.tokens.access_ttl_seconds)
        return TokenPair(
            access_token=access_token, refresh_token=refresh_token, expires_in=self.tokens.access_ttl_seconds
        )

    async def _revoke(self, auth_session: AuthSession, reason: str, now: datetime) -> None:
        auth_session.revoked_at = now
        auth_session.revoked_reason = reason
        self.bus.publish(
            SessionRevoked(
                org_id=auth_session.org_id,
                audience=(user_room(auth_session.user_id),),
                session_id=auth_session.id,
                user_id=auth_session.user_id,
                reason=reason,
            )
        )
