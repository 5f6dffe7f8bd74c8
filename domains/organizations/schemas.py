from __future__ import annotations

import msgspec


class SecurityPolicyUpdate(msgspec.Struct, forbid_unknown_fields=True):
    require_totp_for_staff: bool


class OrganizationOut(msgspec.Struct):
    id: str
    slug: str
    name: str
    timezone: str
    require_totp_for_staff: bool
