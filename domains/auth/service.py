"""Signing in: credentials, rotating refresh tokens with replay detection, TOTP, sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domains.auth.events import SessionRevoked
from domains.auth.one_time_codes import matching_step
from domains.auth.schemas import TokenPair, TotpSetup
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Forbidden, Invalid, SessionReplayed, Unauthenticated
from domains.kernel.rooms import user_room
from domains.kernel.security import (
    JWT_ALGORITHM,
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
)
from domains.models import AuthSession, Organization, RefreshToken, User
from domains.users.service import normalize_email

BAD_CREDENTIALS = "invalid email or password"
TOTP_REQUIRED = "a one-time code from the authenticator app is required"
TOTP_WRONG = "the one-time code is wrong or expired"
TOTP_USED = "this one-time code has already been used; wait for the next one from the authenticator app"
REBIND_NEEDS_PROOF = (
    "two-factor sign-in is already set up: to bind another authenticator, send your password "
    "or a current code from the authenticator you have"
)
REBIND_PROOF_WRONG = "the password or the current one-time code is wrong"
SESSION_ENDED = "this session has ended; sign in again"
ACCOUNT_DISABLED = "the account is disabled"


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated caller with the rows behind the token."""

    principal: Principal
    user: User
    totp_enrollment_required: bool
    # When the access token presented expires (unix time): a socket re-checks its session then.
    expires_at: float


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
            await self._use_code(user, user.totp_secret, totp, Unauthenticated)
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
            raise Unauthenticated(SESSION_ENDED)
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
            raise Unauthenticated(ACCOUNT_DISABLED)
        return await self._issue(user, auth_session)

    async def logout(self, principal: Principal) -> None:
        auth_session = await self.session.get(AuthSession, principal.session_id)
        if auth_session is not None and auth_session.revoked_at is None:
            await self._revoke(auth_session, "logout", utcnow())

    async def identify(self, access_token: str) -> Identity:
        """The caller behind an access token, refusing ended sessions and disabled accounts."""
        principal = read_access_token(access_token, self.tokens.secret)
        expires_at = float(jwt.decode(access_token, self.tokens.secret, algorithms=[JWT_ALGORITHM])["exp"])
        return await self._current(principal, expires_at)

    async def check_session(self, principal: Principal) -> None:
        """Whether a sign-in still holds without its access token (a long-lived socket asks when the token it
        connected with expires): not ended, the account active, and a refresh token left to renew it with."""
        await self._current(principal, expires_at=0.0)
        renewable = await self.session.scalar(
            select(
                exists().where(
                    RefreshToken.session_id == principal.session_id,
                    RefreshToken.used_at.is_(None),
                    RefreshToken.expires_at > utcnow(),
                )
            )
        )
        if not renewable:
            raise Unauthenticated("this session has expired; sign in again")

    async def _current(self, principal: Principal, expires_at: float) -> Identity:
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
            raise Unauthenticated(SESSION_ENDED)
        if not user.is_active:
            raise Unauthenticated(ACCOUNT_DISABLED)
        enrollment_required = bool(require_totp) and user.totp_secret is None and Role(user.role) in STAFF_ROLES
        return Identity(
            principal=principal, user=user, totp_enrollment_required=enrollment_required, expires_at=expires_at
        )

    async def start_totp_setup(
        self, user: User, password: str | None = None, current_code: str | None = None
    ) -> TotpSetup:
        """A new secret waits in `totp_pending_secret` until `confirm_totp`. The first binding needs only the
        signed-in session; replacing a bound authenticator needs the password or a current code from it."""
        await self._prove_rebind(user, password, current_code)
        secret = new_totp_secret()
        user.totp_pending_secret = secret
        return TotpSetup(secret=secret, provisioning_uri=totp_uri(secret, user.email))

    async def confirm_totp(
        self, user: User, code: str, password: str | None = None, current_code: str | None = None
    ) -> None:
        if user.totp_pending_secret is None:
            raise Invalid("start the two-factor setup first")
        await self._prove_rebind(user, password, current_code)
        step = matching_step(user.totp_pending_secret, code)
        if step is None:
            raise Invalid(TOTP_WRONG)
        user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
        # The code that proved the new authenticator is spent too: it cannot sign in a second time.
        user.totp_last_step = max(step, user.totp_last_step or step)

    async def _prove_rebind(self, user: User, password: str | None, current_code: str | None) -> None:
        if user.totp_secret is None:
            return
        if password is None and current_code is None:
            raise Forbidden(REBIND_NEEDS_PROOF)
        if password is not None and verify_password(user.password_hash, password):
            return
        if current_code is not None:
            await self._use_code(user, user.totp_secret, current_code, Forbidden)
            return
        raise Forbidden(REBIND_PROOF_WRONG)

    async def _use_code(self, user: User, secret: str, code: str, refusal: type[Unauthenticated | Forbidden]) -> None:
        """Accept `code` once: a conditional update claims its time step, so of two uses (even concurrent
        ones) of one code only the first passes."""
        step = matching_step(secret, code)
        if step is None:
            raise refusal(TOTP_WRONG if refusal is Unauthenticated else REBIND_PROOF_WRONG)
        claimed = await self.session.execute(
            update(User)
            .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise refusal(TOTP_USED)
        user.totp_last_step = step

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
