"""Partners and vouchers: issue, move through the lifecycle, and validate/redeem a signed code at a partner.

Lifecycle (`ALLOWED`): created → confirmed → distributed → validated → redeemed → archived; any of
created/confirmed/distributed/validated may be cancelled, and a cancelled voucher may be archived.
Every change writes a `VoucherTransition` audit row and publishes `VoucherTransitioned`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import cast

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Conflict, Forbidden, Invalid
from domains.kernel.lookup import get_in_group, get_scoped
from domains.kernel.rooms import RoomKey, group_audience
from domains.kernel.security import Principal, Role
from domains.models import Group, Participant, Partner, RoomingList, User, Voucher, VoucherTransition
from domains.models.sequences import next_number
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.events import VoucherIssued, VoucherRedeemed, VoucherTransitioned
from domains.vouchers.schemas import (
    EntranceVoucherCreate,
    HotelDetails,
    HotelVoucherCreate,
    PartnerCreate,
    RestaurantDetails,
    RestaurantVoucherCreate,
    VoucherCreate,
    VoucherDetails,
)

ALLOWED: dict[str, frozenset[str]] = {
    "created": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"distributed", "cancelled"}),
    "distributed": frozenset({"validated", "cancelled"}),
    "validated": frozenset({"redeemed", "cancelled"}),
    "redeemed": frozenset({"archived"}),
    "cancelled": frozenset({"archived"}),
    "archived": frozenset(),
}
# A hotel voucher is honoured by a hotel, an entrance voucher by an attraction...
PARTNER_KIND = {"hotel": "hotel", "restaurant": "restaurant", "entrance": "attraction"}
NOT_UPCOMING = ("cancelled", "archived")


class VoucherService:
    def __init__(self, session: AsyncSession, bus: EventBus, codes: VoucherCodes) -> None:
        self.session = session
        self.bus = bus
        self.codes = codes

    def code(self, voucher: Voucher) -> str:
        return self.codes.sign(voucher.id, voucher.number)

    # --- partners ----------------------------------------------------------------------------------

    async def add_partner(self, org_id: uuid.UUID, data: PartnerCreate) -> Partner:
        if data.user_id is not None:
            user = await get_scoped(self.session, User, data.user_id, "user", org_id=org_id)
            if user.role != Role.PARTNER:
                raise Invalid(f"{user.name} has the role {user.role}; a partner's sign-in needs the role partner")
            taken = await self.session.scalar(select(Partner.name).where(Partner.user_id == user.id))
            if taken is not None:
                raise Conflict(f"{user.name}'s sign-in already belongs to the partner {taken}")
        partner = Partner(
            id=uuid.uuid4(),
            org_id=org_id,
            user_id=data.user_id,
            name=data.name.strip(),
            kind=data.kind,
            email=data.email,
            phone=data.phone,
            city=data.city,
            address=data.address,
        )
        self.session.add(partner)
        try:
            await self.session.flush()
        except IntegrityError:
            # Two admins linking the same sign-in at once: the unique user_id lets only one through.
            raise Conflict("that sign-in already belongs to another partner") from None
        return partner

    async def list_partners(self) -> Sequence[Partner]:
        return (await self.session.execute(select(Partner).order_by(Partner.name))).scalars().all()

    async def partner_of(self, user_id: uuid.UUID) -> Partner:
        partner = await self.session.scalar(select(Partner).where(Partner.user_id == user_id))
        if partner is None:
            raise Forbidden("your sign-in is not linked to a partner")
        return partner

    # --- reading -----------------------------------------------------------------------------------

    async def get(self, voucher_id: uuid.UUID, *, lock: bool = False) -> Voucher:
        # FOR UPDATE serializes concurrent transitions of one voucher on PostgreSQL (SQLite locks at BEGIN).
        return await get_scoped(self.session, Voucher, voucher_id, "voucher", lock=lock)

    async def get_visible(self, voucher_id: uuid.UUID, principal: Principal) -> Voucher:
        """Office staff see every voucher of their organization; a partner only the ones issued to it."""
        voucher = await self.get(voucher_id)
        if principal.role == Role.PARTNER and voucher.partner_id != (await self.partner_of(principal.user_id)).id:
            raise Forbidden("this voucher was issued to another partner")
        return voucher

    async def history(self, voucher_id: uuid.UUID) -> Sequence[tuple[VoucherTransition, User | None]]:
        rows = await self.session.execute(
            select(VoucherTransition, User)
            .outerjoin(User, User.id == VoucherTransition.actor_id)
            .where(VoucherTransition.voucher_id == voucher_id)
            .order_by(VoucherTransition.at, VoucherTransition.id)
        )
        return [(transition, user) for transition, user in rows.all()]

    async def list_for_group(self, group_id: uuid.UUID) -> Sequence[Voucher]:
        await self._group(group_id)
        query = select(Voucher).where(Voucher.group_id == group_id).order_by(Voucher.service_date, Voucher.number)
        return (await self.session.execute(query)).scalars().all()

    async def upcoming_for_partner(self, user_id: uuid.UUID, since: date) -> Sequence[Voucher]:
        """The partner's vouchers still to be honoured on or after `since` (cancelled and archived left out)."""
        partner = await self.partner_of(user_id)
        query = (
            select(Voucher)
            .where(Voucher.partner_id == partner.id, Voucher.ends_on >= since, Voucher.status.not_in(NOT_UPCOMING))
            .order_by(Voucher.service_date, Voucher.number)
        )
        return (await self.session.execute(query)).scalars().all()

    @staticmethod
    def details(voucher: Voucher) -> VoucherDetails:
        """The stored JSON read back through the tagged union, so a damaged row fails loudly."""
        return cast(VoucherDetails, msgspec.convert(voucher.details, VoucherDetails))

    # --- changes -----------------------------------------------------------------------------------

    async def issue(self, group_id: uuid.UUID, data: VoucherCreate, actor_id: uuid.UUID) -> Voucher:
        group = await self._group(group_id)
        details = await self._details(group, data)
        if data.partner_id is not None:
            partner = await get_scoped(self.session, Partner, data.partner_id, "partner", org_id=group.org_id)
            kind, wanted = _tag(details), PARTNER_KIND[_tag(details)]
            if partner.kind != wanted:
                raise Invalid(f"a {kind} voucher needs a {wanted} partner; {partner.name} is a {partner.kind}")
        starts, ends = _dates(details)
        now = utcnow()
        serial = await next_number(self.session, group.org_id, "voucher", starts.year)
        voucher = Voucher(
            id=uuid.uuid4(),
            org_id=group.org_id,
            group_id=group.id,
            partner_id=data.partner_id,
            number=f"V-{starts.year}-{serial:04d}",
            type=_tag(details),
            status="created",
            service_date=starts,
            ends_on=ends,
            details=msgspec.to_builtins(details),
            notes=data.notes,
            created_by=actor_id,
            created_at=now,
            updated_at=now,
        )
        self.session.add(voucher)
        self.session.add(_audit(voucher, None, "created", actor_id, now))
        await self.session.flush()
        self.bus.publish(
            VoucherIssued(
                org_id=group.org_id,
                audience=_audience(voucher),
                group_id=group.id,
                voucher_id=voucher.id,
                number=voucher.number,
                type=voucher.type,
                status=voucher.status,
                partner_id=voucher.partner_id,
            )
        )
        return voucher

    async def transition(self, voucher_id: uuid.UUID, to: str, actor_id: uuid.UUID) -> Voucher:
        voucher = await self.get(voucher_id, lock=True)
        self._move(voucher, to, actor_id)
        await self.session.flush()
        return voucher

    async def validate(self, code: str, user_id: uuid.UUID, *, redeem: bool = False) -> Voucher:
        """A partner scans a code: check the signature, that it is theirs and usable, then record it.

        A genuine code of the partner's own `distributed` voucher moves it to `validated` (the guests
        showed up with a real voucher); scanning an already `validated` voucher again changes nothing.
        With `redeem` the service is also marked consumed: `validated` → `redeemed` (a distributed
        voucher goes through both steps, two audit rows), and `VoucherRedeemed` reaches the group live.
        Refusals, each with its reason: invalid signature (Invalid), another partner's or another
        organization's voucher (Forbidden), cancelled / already redeemed / archived / not yet
        distributed (Conflict).
        """
        verified = self.codes.verify(code)
        partner = await self.partner_of(user_id)
        voucher = await self.session.scalar(select(Voucher).where(Voucher.id == verified.voucher_id).with_for_update())
        if voucher is None or voucher.partner_id != partner.id or voucher.number != verified.number:
            raise Forbidden(f"voucher {verified.number} was not issued to {partner.name}")
        number, status = voucher.number, voucher.status
        if status == "cancelled":
            raise Conflict(f"voucher {number} is cancelled")
        if status == "redeemed":
            raise Conflict(f"voucher {number} is already redeemed")
        if status == "archived":
            raise Conflict(f"voucher {number} is archived and can no longer be used")
        if status in ("created", "confirmed"):
            raise Conflict(f"voucher {number} is {status} and has not been distributed to the group yet")
        if status == "distributed":
            self._move(voucher, "validated", user_id)
        if redeem:
            self._move(voucher, "redeemed", user_id)
        await self.session.flush()
        return voucher

    # --- helpers -----------------------------------------------------------------------------------

    def _move(self, voucher: Voucher, to: str, actor_id: uuid.UUID) -> None:
        before = voucher.status
        if to not in ALLOWED.get(before, frozenset()):
            allowed = ", ".join(sorted(ALLOWED.get(before, ()))) or "nothing"
            raise Conflict(f"voucher {voucher.number} cannot go from {before} to {to} (from {before}: {allowed})")
        # Strictly increasing per voucher, so the audit trail sorts in order even within one microsecond.
        at = max(utcnow(), voucher.updated_at + timedelta(microseconds=1))
        voucher.status, voucher.updated_at = to, at
        self.session.add(_audit(voucher, before, to, actor_id, at))
        self.bus.publish(
            VoucherTransitioned(
                org_id=voucher.org_id,
                audience=_audience(voucher),
                group_id=voucher.group_id,
                voucher_id=voucher.id,
                number=voucher.number,
                from_status=before,
                to_status=to,
                by_user_id=actor_id,
            )
        )
        if to == "redeemed":
            self.bus.publish(
                VoucherRedeemed(
                    org_id=voucher.org_id,
                    audience=_audience(voucher),
                    group_id=voucher.group_id,
                    voucher_id=voucher.id,
                    number=voucher.number,
                    partner_id=voucher.partner_id,
                    by_user_id=actor_id,
                )
            )

    async def _group(self, group_id: uuid.UUID) -> Group:
        return await get_scoped(self.session, Group, group_id, "group")

    async def _details(self, group: Group, data: VoucherCreate) -> VoucherDetails:
        if isinstance(data, RestaurantVoucherCreate):
            return await self._restaurant(group, data)
        if isinstance(data, HotelVoucherCreate):
            if data.check_out <= data.check_in:
                raise Invalid("check_out must be after check_in")
            if data.rooming_list_id is not None:
                await get_in_group(self.session, RoomingList, data.rooming_list_id, group.id, "rooming list")
        if isinstance(data, EntranceVoucherCreate):
            if data.adult_count + data.child_count + data.senior_count == 0:
                raise Invalid("an entrance voucher needs at least one adult, child or senior")
            if data.valid_until is not None and data.valid_until < data.date:
                raise Invalid("valid_until must not be before the visit date")
        fields = msgspec.to_builtins(data)
        del fields["partner_id"], fields["notes"]
        return cast(VoucherDetails, msgspec.convert(fields, VoucherDetails))

    async def _restaurant(self, group: Group, data: RestaurantVoucherCreate) -> RestaurantDetails:
        diets = (await self.session.execute(select(Participant.dietary).where(Participant.group_id == group.id))).all()
        counts: Counter[str] = Counter()
        for (dietary,) in diets:
            # A participant listed "Vegetarian" twice, or with stray spaces, is still one vegetarian.
            counts.update({tag.strip().lower() for tag in dietary or [] if tag and tag.strip()})
        guests = data.guest_count if data.guest_count is not None else len(diets)
        if guests < 1:
            raise Invalid("the group has no participants yet: give guest_count")
        return RestaurantDetails(
            date=data.date,
            time=data.time,
            meal_type=data.meal_type,
            guest_count=guests,
            dietary_counts=dict(sorted(counts.items())),
            table_preference=data.table_preference,
            menu=data.menu,
        )


def _tag(details: VoucherDetails) -> str:
    return str(details.__struct_config__.tag)


def _dates(details: VoucherDetails) -> tuple[date, date]:
    """When the service starts (numbering year) and the last day it can be used (partner's upcoming list)."""
    if isinstance(details, HotelDetails):
        return details.check_in, details.check_out
    if isinstance(details, RestaurantDetails):
        return details.date, details.date
    return details.date, details.valid_until or details.date


def _audience(voucher: Voucher) -> tuple[RoomKey, ...]:
    return group_audience(voucher.group_id)


def _audit(voucher: Voucher, before: str | None, to: str, actor_id: uuid.UUID, at: datetime) -> VoucherTransition:
    return VoucherTransition(
        id=uuid.uuid4(),
        org_id=voucher.org_id,
        voucher_id=voucher.id,
        from_status=before,
        to_status=to,
        actor_id=actor_id,
        at=at,
    )
