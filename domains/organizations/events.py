from __future__ import annotations

from domains.kernel.bus import Event


class OrganizationCreated(Event, frozen=True, kw_only=True):
    name = "organization.created"
    slug: str


class TotpPolicyChanged(Event, frozen=True, kw_only=True):
    name = "organization.totp_policy_changed"
    require_totp_for_staff: bool
