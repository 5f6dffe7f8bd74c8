from __future__ import annotations

from typing import Annotated

import msgspec

from domains.kernel.security import Role

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=256)]


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Name
    role: Role
    password: Password


class UserOut(msgspec.Struct):
    id: str
    email: str
    name: str
    role: str
    org_id: str
    totp_enabled: bool
    totp_enrollment_required: bool = False
