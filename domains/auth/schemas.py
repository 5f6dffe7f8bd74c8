from __future__ import annotations

from typing import Annotated

import msgspec

TotpCode = Annotated[str, msgspec.Meta(pattern=r"^\s*\d{6}\s*$")]


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
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


class TotpConfirm(msgspec.Struct, forbid_unknown_fields=True):
    code: TotpCode
