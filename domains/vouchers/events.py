from __future__ import annotations

import uuid

from domains.kernel.bus import Event
from domains.kernel.rooms import Audience


class VoucherIssued(Event, frozen=True, kw_only=True):
    name = "voucher.issued"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    voucher_id: uuid.UUID
    number: str
    type: str
    status: str
    partner_id: uuid.UUID | None


class VoucherTransitioned(Event, frozen=True, kw_only=True):
    """Every status change, including the ones a partner makes by validating or redeeming a code."""

    name = "voucher.transitioned"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    voucher_id: uuid.UUID
    number: str
    from_status: str
    to_status: str
    by_user_id: uuid.UUID | None


class VoucherRedeemed(Event, frozen=True, kw_only=True):
    """The service was consumed at the partner: the group's staff hear it live (`voucher:redeemed`)."""

    name = "voucher.redeemed"
    visible_to = Audience.STAFF
    group_id: uuid.UUID
    voucher_id: uuid.UUID
    number: str
    partner_id: uuid.UUID | None
    by_user_id: uuid.UUID | None
