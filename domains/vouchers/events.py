from __future__ import annotations

from domains.kernel.bus import Event


class VoucherIssued(Event, frozen=True, kw_only=True):
    name = "voucher.issued"
    group_id: str
    voucher_id: str
    number: str
    type: str
    status: str
    partner_id: str | None


class VoucherTransitioned(Event, frozen=True, kw_only=True):
    """Every status change, including the ones a partner makes by validating or redeeming a code."""

    name = "voucher.transitioned"
    group_id: str
    voucher_id: str
    number: str
    from_status: str
    to_status: str
    by_user_id: str | None


class VoucherRedeemed(Event, frozen=True, kw_only=True):
    """The service was consumed at the partner: the group's room hears it live (`voucher:redeemed`)."""

    name = "voucher.redeemed"
    group_id: str
    voucher_id: str
    number: str
    partner_id: str | None
    by_user_id: str | None
