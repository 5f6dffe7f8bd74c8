from __future__ import annotations

from typing import Annotated

import msgspec

TotpCode = Annotated[str, msgspec.Meta(pattern=r"^\s*\d{6}\s*$")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
    password: Password
    totp: TotpCode | None = None


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenPair(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret


class TotpSetup(msgspec.Struct):
    secret: str
    provisioning_uri: str


class TotpSetupRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Re-binding an authenticator that is already set up needs the password or a current code from it."""

    password: Password | None = None
    current_code: TotpCode | None = None


class TotpConfirm(msgspec.Struct, forbid_unknown_fields=True):
    """`code` comes from the new authenticator; a re-bind also sends `password` or `current_code`."""

    code: TotpCode
    password: Password | None = None
    current_code: TotpCode | None = None
