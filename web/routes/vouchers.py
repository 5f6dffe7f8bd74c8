"""`/api/v1/partners`, `/api/v1/vouchers`, `/api/v1/groups/{id}/vouchers`: issue, track, render and validate vouchers.

The office (admin, dispatcher, coordinator) issues vouchers and moves them through their lifecycle;
a partner signs in to validate or redeem the codes presented to it and to list its upcoming vouchers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import anyio
from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domains.models import Partner, User, Voucher, VoucherTransition
from domains.vouchers import codes
from domains.vouchers.schemas import (
    ActorOut,
    PartnerCreate,
    PartnerOut,
    TransitionOut,
    ValidationOut,
    VoucherCreate,
    VoucherOut,
    VoucherTransitionRequest,
    VoucherValidation,
)
from domains.vouchers.service import VoucherService
from web.deps import IdentityDep, ServicesDep
from web.guards import OFFICE, OFFICE_OR_PARTNER, PARTNERS

# The code never changes for a voucher, so its images can be cached; `private` keeps them off shared caches.
IMAGE_HEADERS = {"Cache-Control": "private, max-age=86400"}


def partner_out(row: Partner) -> PartnerOut:
    return PartnerOut(
        id=str(row.id),
        name=row.name,
        kind=row.kind,
        email=row.email,
        phone=row.phone,
        city=row.city,
        address=row.address,
        user_id=str(row.user_id) if row.user_id else None,
    )


def voucher_out(
    service: VoucherService, row: Voucher, history: Sequence[tuple[VoucherTransition, User | None]] | None = None
) -> VoucherOut:
    return VoucherOut(
        id=str(row.id),
        number=row.number,
        status=row.status,
        code=service.code(row),
        type=row.type,
        group_id=str(row.group_id),
        partner_id=str(row.partner_id) if row.partner_id else None,
        service_date=row.service_date,
        details=service.details(row),
        notes=row.notes,
        created_at=row.created_at,
        transitions=None
        if history is None
        else [
            TransitionOut(
                from_status=step.from_status,
                to=step.to_status,
                at=step.at,
                by=ActorOut(id=str(user.id), name=user.name) if user else None,
            )
            for step, user in history
        ],
    )


class PartnerController(Controller):
    path = "/partners"
    tags = ["vouchers"]

    @post("/", guards=[OFFICE])
    async def add_partner(
        self, data: JSONBody[PartnerCreate], identity: IdentityDep, services: ServicesDep
    ) -> PartnerOut:
        return partner_out(await services.vouchers.add_partner(identity.principal.org_id, data))

    @get("/", guards=[OFFICE])
    async def list_partners(self, services: ServicesDep) -> list[PartnerOut]:
        return [partner_out(row) for row in await services.vouchers.list_partners()]

    @get("/me/vouchers", guards=[PARTNERS])
    async def my_vouchers(
        self, identity: IdentityDep, services: ServicesDep, since: FromQuery[date | None] = None
    ) -> list[VoucherOut]:
        """The signed-in partner's vouchers still to be used on or after `since` (default: today, UTC)."""
        since = since or datetime.now(UTC).date()
        service = services.vouchers
        rows = await service.upcoming_for_partner(identity.principal.user_id, since)
        return [voucher_out(service, row) for row in rows]


class GroupVoucherController(Controller):
    path = "/groups/{group_id:uuid}/vouchers"
    tags = ["vouchers"]
    guards = [OFFICE]

    @post("/")
    async def issue(
        self, group_id: FromPath[uuid.UUID], data: JSONBody[VoucherCreate], identity: IdentityDep, services: ServicesDep
    ) -> VoucherOut:
        """Issue a hotel, restaurant or entrance voucher; the body's `type` selects the fields."""
        service = services.vouchers
        return voucher_out(service, await service.issue(group_id, data, identity.principal.user_id))

    @get("/")
    async def list_for_group(self, group_id: FromPath[uuid.UUID], services: ServicesDep) -> list[VoucherOut]:
        service = services.vouchers
        return [voucher_out(service, row) for row in await service.list_for_group(group_id)]


class VoucherController(Controller):
    path = "/vouchers"
    tags = ["vouchers"]

    @get("/{voucher_id:uuid}", guards=[OFFICE_OR_PARTNER])
    async def get_voucher(
        self, voucher_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> VoucherOut:
        """One voucher with its audit trail (who moved it from which status to which, and when)."""
        service = services.vouchers
        row = await service.get_visible(voucher_id, identity.principal)
        return voucher_out(service, row, await service.history(row.id))

    @post("/{voucher_id:uuid}/transition", guards=[OFFICE], status_code=200)
    async def transition(
        self,
        voucher_id: FromPath[uuid.UUID],
        data: JSONBody[VoucherTransitionRequest],
        identity: IdentityDep,
        services: ServicesDep,
    ) -> VoucherOut:
        """Move the voucher to `to`; a move the lifecycle does not allow is a 409 naming both statuses."""
        service = services.vouchers
        row = await service.transition(voucher_id, data.to, identity.principal.user_id)
        return voucher_out(service, row, await service.history(row.id))

    @post("/validate", guards=[PARTNERS], status_code=200)
    async def validate(
        self, data: JSONBody[VoucherValidation], identity: IdentityDep, services: ServicesDep
    ) -> ValidationOut:
        """A partner checks a scanned or typed code; `redeem: true` also marks the service as used.

        200 `{valid: true, voucher}` for a genuine code of the partner's own usable voucher; otherwise
        422 (invalid signature), 403 (another partner's voucher), 409 (cancelled, already redeemed,
        archived, not yet distributed), each with the reason in `detail`.
        """
        service = services.vouchers
        row = await service.validate(data.code, identity.principal.user_id, redeem=data.redeem)
        return ValidationOut(valid=True, voucher=voucher_out(service, row))

    async def _image(
        self,
        voucher_id: uuid.UUID,
        identity: IdentityDep,
        services: ServicesDep,
        render: Callable[[str], bytes],
        media_type: str,
    ) -> Response[bytes]:
        service = services.vouchers
        code = service.code(await service.get_visible(voucher_id, identity.principal))
        # Rendering is CPU work (PNG barcodes take a few milliseconds); keep it off the event loop.
        content = await anyio.to_thread.run_sync(render, code)
        return Response(content, media_type=media_type, headers=IMAGE_HEADERS)

    @get("/{voucher_id:uuid}/qr.svg", guards=[OFFICE_OR_PARTNER])
    async def qr_svg(
        self, voucher_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> Response[bytes]:
        return await self._image(voucher_id, identity, services, codes.qr_svg, "image/svg+xml")

    @get("/{voucher_id:uuid}/qr.png", guards=[OFFICE_OR_PARTNER])
    async def qr_png(
        self, voucher_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> Response[bytes]:
        return await self._image(voucher_id, identity, services, codes.qr_png, "image/png")

    @get("/{voucher_id:uuid}/barcode.svg", guards=[OFFICE_OR_PARTNER])
    async def barcode_svg(
        self, voucher_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> Response[bytes]:
        return await self._image(voucher_id, identity, services, codes.barcode_svg, "image/svg+xml")

    @get("/{voucher_id:uuid}/barcode.png", guards=[OFFICE_OR_PARTNER])
    async def barcode_png(
        self, voucher_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep
    ) -> Response[bytes]:
        return await self._image(voucher_id, identity, services, codes.barcode_png, "image/png")
