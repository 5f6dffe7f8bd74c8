"""Domain errors. They carry a message for people and no transport codes.

The web layer maps them to HTTP statuses, the realtime layer to error acks.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    # When true the unit of work still commits what the service changed before raising
    # (e.g. a replayed refresh token revokes its session and is refused).
    keeps_changes: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist, or belongs to another organization."""


class Conflict(DomainError):
    """The change clashes with the current state (double booking, used token...)."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class Invalid(DomainError):
    """The input is well-formed but breaks a business rule."""


class Unauthenticated(DomainError):
    """The caller could not be identified (bad credentials, expired or revoked token)."""


class SessionReplayed(Unauthenticated):
    """A used refresh token came back: the session is revoked, and that revocation must stick."""

    keeps_changes = True


class TooManyAttempts(DomainError):
    """A throttle refused the attempt; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(DomainError):
    """The upload or payload is bigger than the configured limit."""


class UnsupportedType(DomainError):
    """The content type is not accepted here."""
