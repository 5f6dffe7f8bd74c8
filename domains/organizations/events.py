from __future__ import annotations

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class OrganizationCreated(Event, frozen=True, kw_only=True):
    name = "organization.created"
    visible_to = Audience.STAFF
    slug: str


class TotpPolicyChanged(Event, frozen=True, kw_only=True):
    name = "organization.totp_policy_changed"
    visible_to = Audience.STAFF
    require_totp_for_staff: bool
