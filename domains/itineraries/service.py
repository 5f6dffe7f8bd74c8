"""The live itinerary: ops applied one at a time per itinerary, logged in the group room's seq order.

One verb changes the itinerary, `apply`: it takes the itinerary's row lock, answers a resent
`client_op_id` with its original seq, resolves the op against the current state, applies it to the
materialized items, appends it to the room log (next seq, `itinerary:applied` after commit) and to the
op log. Reads fold the same op log (`at_seq`), and a restore is an op like any other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.conversations.access import FIELD_ROLES, RoomAccess
from domains.conversations.log import RoomLog
from domains.groups.span import DEFAULT_MAX_GROUP_DAYS, span_days
from domains.itineraries import store
from domains.itineraries.events import ItineraryApplied, ItineraryChanged
from domains.itineraries.ops import Items, apply_op, replay, resolve, restore_diff, visible
from domains.itineraries.schemas import (
    MAX_CLIENT_OP_ID,
    Applied,
    Day,
    HistoryEntry,
    ItemView,
    ItineraryOut,
    Op,
    PlanWarning,
    RemoveItem,
    Restore,
    SetFields,
)
from domains.itineraries.summary import summarize
from domains.itineraries.validation import DEFAULT_SPEED_KMH, check_item, warnings
from domains.kernel.bus import EventBus
from domains.kernel.db import utcnow
from domains.kernel.errors import Forbidden, Invalid
from domains.kernel.lookup import get_all_scoped, get_in_group, get_scoped
from domains.kernel.rooms import BOARD, group_room
from domains.kernel.security import OFFICE_ROLES, Principal
from domains.models import (
    CatalogItem,
    Flight,
    Group,
    Itinerary,
    ItineraryItem,
    ItineraryOp,
    StaffMember,
    Voucher,
)

EDITORS = OFFICE_ROLES | FIELD_ROLES
MAX_HISTORY_PAGE = 100


@dataclass(frozen=True, slots=True)
class Sent:
    """Who sent an op, the client's id for it, and the last seq the client had applied when it made it."""

    author: Principal
    author_name: str
    client_op_id: str
    base_seq: int


@dataclass
class Resolved:
    """An op resolved against the items it touches: the op as logged, and the state it applies to."""

    op: dict[str, Any]
    dropped: bool
    rows: dict[str, ItineraryItem]  # the rows `items` were read from, written back after the op
    items: Items  # the op's items and every live item of the days it touches (see store.load_around)

    @property
    def touched(self) -> list[str]:
        if self.op["type"] == "restore":
            return [item["id"] for item in self.op["items"]]
        return [self.op["item_id"]]


class ItineraryService:
    def __init__(self, session: AsyncSession, bus: EventBus, max_days: int = DEFAULT_MAX_GROUP_DAYS) -> None:
        self.session = session
        self.bus = bus
        self.max_days = max_days  # views list at most this many days of a group (domains/groups/span.py)

    async def group_for(self, principal: Principal, group_id: uuid.UUID, *, edit: bool = False) -> Group:
        """The group, if the caller may see its itinerary (members of the group room) or edit it (staff)."""
        group = await get_scoped(self.session, Group, group_id, "group")
        await RoomAccess(self.session).check_join(principal, group_room(group.id))
        if edit and principal.role not in EDITORS:
            raise Forbidden("travelers can read the itinerary but not change it")
        return group

    async def current_seq(self, group_id: uuid.UUID) -> int:
        return await RoomLog(self.session, self.bus).current_seq(group_room(group_id))

    async def apply(
        self, principal: Principal, author_name: str, group_id: uuid.UUID, client_op_id: str, base_seq: int, op: Op
    ) -> Applied:
        """Apply one op (see the module's docstring); a resent `client_op_id` answers its original seq."""
        group = await self.group_for(principal, group_id, edit=True)
        check_request(client_op_id, base_seq)
        sent = Sent(principal, author_name, client_op_id, base_seq)
        itinerary = await store.locked_itinerary(self.session, group)
        # Checked under the lock, so a resend racing its original waits and then finds it.
        earlier = await store.op_by_client_id(self.session, itinerary, client_op_id)
        if earlier is not None:
            return Applied(seq=earlier.seq, dropped=earlier.dropped, duplicate=True)
        resolved = await self._resolve(group, itinerary, op)
        if not resolved.dropped:
            await self._write(group, itinerary, resolved)
        seq = await self._append_to_room_log(group, sent, resolved)
        self._append_to_op_log(itinerary, seq, sent, resolved)
        self._tell_the_board(group, seq, resolved)
        found = self._warnings_on_touched_days(group, itinerary, resolved)
        return Applied(seq=seq, dropped=resolved.dropped, warnings=found)

    async def _resolve(self, group: Group, itinerary: Itinerary, op: Op) -> Resolved:
        """Read what the op touches and resolve it: a restore against the whole itinerary and the log,
        any other op against its item and days."""
        if isinstance(op, Restore):
            rows = await store.load_rows(self.session, itinerary)
            items = store.items_of(rows)
            restore = await self._resolve_restore(itinerary, items, op.seq, group_room(group.id))
            return Resolved(restore, False, rows, items)
        day = None if isinstance(op, RemoveItem | SetFields) else op.day
        rows = await store.load_around(self.session, itinerary, op.item_id, day)
        items = store.items_of(rows)
        resolved, dropped = resolve(op, items)
        return Resolved(resolved, dropped, rows, items)

    async def _write(self, group: Group, itinerary: Itinerary, resolved: Resolved) -> None:
        """Check the op's result and write the items it changed."""
        await self._check_references(group, resolved.op)
        items = resolved.items
        apply_op(items, resolved.op)
        for item_id in resolved.touched:
            if not items[item_id].removed:
                check_item(items[item_id], group.start_date, group.end_date)
        store.write_items(self.session, itinerary, resolved.rows, (items[item_id] for item_id in resolved.touched))

    async def _append_to_room_log(self, group: Group, sent: Sent, resolved: Resolved) -> int:
        """The op's seq in the group room; the room hears `itinerary:applied` after commit."""
        room = group_room(group.id)
        data: dict[str, Any] = {
            "room": room,  # also in replays, which carry only what is stored
            "group_id": str(group.id),
            "client_op_id": sent.client_op_id,
            "base_seq": sent.base_seq,
            "op": resolved.op,
            "author": {"id": str(sent.author.user_id), "name": sent.author_name},
            "dropped": resolved.dropped,
        }
        seq = await RoomLog(self.session, self.bus).append(
            ItineraryApplied, group.org_id, sent.author.user_id, room, data
        )
        if sent.base_seq >= seq:  # checked here to save a query; raising rolls everything back
            raise Invalid(f"base_seq is ahead of the room (its seq is {seq - 1}); use the last seq you received")
        return seq

    def _append_to_op_log(self, itinerary: Itinerary, seq: int, sent: Sent, resolved: Resolved) -> None:
        """The itinerary's own log, which history, `at_seq` and restores fold."""
        self.session.add(
            ItineraryOp(
                org_id=itinerary.org_id,
                itinerary_id=itinerary.id,
                seq=seq,
                client_op_id=sent.client_op_id,
                base_seq=sent.base_seq,
                type=resolved.op["type"],
                op=resolved.op,
                dropped=resolved.dropped,
                author_id=sent.author.user_id,
                author_name=sent.author_name,
            )
        )
        itinerary.last_seq, itinerary.updated_at = seq, utcnow()

    def _tell_the_board(self, group: Group, seq: int, resolved: Resolved) -> None:
        self.bus.publish(
            ItineraryChanged(
                org_id=group.org_id,
                audience=(BOARD,),
                group_id=group.id,
                seq=seq,
                op=resolved.op["type"],
                item_id=resolved.op.get("item_id"),
                dropped=resolved.dropped,
            )
        )

    @staticmethod
    def _warnings_on_touched_days(group: Group, itinerary: Itinerary, resolved: Resolved) -> list[PlanWarning]:
        items = resolved.items
        days = {items[item_id].day for item_id in resolved.touched}
        on_days = (item for item in items.values() if item.day in days)
        return warnings(on_days, group.start_date, group.end_date, itinerary.travel_speed_kmh)

    async def restore(
        self, principal: Principal, author_name: str, group_id: uuid.UUID, seq: int, client_op_id: str | None
    ) -> Applied:
        """Bring the itinerary back to how it was at `seq`, as one `restore` op (undone by another restore)."""
        return await self.apply(
            principal,
            author_name,
            group_id,
            client_op_id or f"restore:{uuid.uuid4()}",
            await self.current_seq(group_id),
            Restore(seq=seq),
        )

    async def snapshot(self, principal: Principal, group_id: uuid.UUID, at_seq: int | None = None) -> ItineraryOut:
        """The itinerary now, or as it was at `at_seq` (the op log replayed up to there)."""
        group = await self.group_for(principal, group_id)
        # The seq is read before the items, so the items hold at least every op up to it. An op that
        # commits in between may be in both; applying it again changes nothing.
        seq = await self.current_seq(group.id)
        itinerary = await store.find_itinerary(self.session, group.id)
        items: Items = {}
        if at_seq is not None:
            if at_seq < 0:
                raise Invalid("at_seq must be a non-negative integer")
            if at_seq > seq:
                raise Invalid(f"at_seq is ahead of the room (its seq is {seq})")
            seq = at_seq
            if itinerary is not None:
                items = replay(await store.ops_until(self.session, itinerary, at_seq))
        elif itinerary is not None:
            items = store.items_of(await store.load_rows(self.session, itinerary))
        return self._out(group, itinerary, seq, items, self.max_days)

    async def history(
        self, principal: Principal, group_id: uuid.UUID, before_seq: int | None = None, limit: int = 50
    ) -> list[HistoryEntry]:
        """Who changed what, when: newest first, paged with `before_seq`."""
        group = await self.group_for(principal, group_id)
        itinerary = await store.find_itinerary(self.session, group.id)
        if itinerary is None:
            return []
        rows = await store.op_page(self.session, itinerary, before_seq, max(1, min(limit, MAX_HISTORY_PAGE)))
        everything = store.items_of(await store.load_rows(self.session, itinerary))
        titles = {item_id: item.title for item_id, item in everything.items()}
        return [
            HistoryEntry(
                seq=row.seq,
                at=row.created_at.isoformat(),
                author={"id": str(row.author_id) if row.author_id else None, "name": row.author_name},
                client_op_id=row.client_op_id,
                type=row.type,
                item_id=row.op.get("item_id"),
                dropped=row.dropped,
                summary=summarize(row.op, row.dropped, titles),
                op=row.op,
            )
            for row in rows
        ]

    async def set_travel_speed(self, principal: Principal, group_id: uuid.UUID, speed_kmh: float) -> ItineraryOut:
        group = await self.group_for(principal, group_id, edit=True)
        itinerary = await store.locked_itinerary(self.session, group)
        itinerary.travel_speed_kmh = speed_kmh
        return await self.snapshot(principal, group.id)

    async def _resolve_restore(self, itinerary: Itinerary, current: Items, to_seq: int, room: str) -> dict[str, Any]:
        if to_seq > await RoomLog(self.session, self.bus).current_seq(room):
            raise Invalid("seq is ahead of the room; restore to a seq you have seen")
        target = replay(await store.ops_until(self.session, itinerary, to_seq))
        return {"type": "restore", "seq": to_seq, "items": restore_diff(current, target)}

    async def _check_references(self, group: Group, resolved: dict[str, Any]) -> None:
        """Every id an op links to is this organization's: the voucher and the flight of this group, staff
        of the organization, a catalog item still offered."""
        fields = resolved.get("fields") or {}
        if fields.get("voucher_id"):
            await get_in_group(self.session, Voucher, uuid.UUID(fields["voucher_id"]), group.id, "voucher")
        if fields.get("flight_id"):
            await get_in_group(self.session, Flight, uuid.UUID(fields["flight_id"]), group.id, "flight")
        if fields.get("staff_ids"):
            await get_all_scoped(self.session, StaffMember, map(uuid.UUID, fields["staff_ids"]), "staff member")
        if fields.get("catalog_item_id"):
            item = await get_scoped(self.session, CatalogItem, uuid.UUID(fields["catalog_item_id"]), "catalog item")
            if not item.active:
                raise Invalid(f"the catalog item '{item.name}' is retired")

    @staticmethod
    def _out(group: Group, itinerary: Itinerary | None, seq: int, items: Items, max_days: int) -> ItineraryOut:
        speed = itinerary.travel_speed_kmh if itinerary else DEFAULT_SPEED_KMH
        live = visible(items.values())
        by_day: dict[str, list[ItemView]] = {}
        for item in live:
            by_day.setdefault(item.day, []).append(item)
        listed = travel_days(group.start_date, group.end_date, max_days)
        days = [Day(date=day.isoformat(), items=by_day.get(day.isoformat(), [])) for day in listed]
        found = warnings(items.values(), group.start_date, group.end_date, speed)
        if len(listed) < span_days(group.start_date, group.end_date):
            # A group stored before the span rule: its views stop after `max_days` days instead of walking
            # a century of them; the office sees why and can correct the dates.
            message = (
                f"the group's dates span {span_days(group.start_date, group.end_date)} days, more than the"
                f" {max_days} allowed: only the first {max_days} are listed; correct the dates"
            )
            found.insert(0, PlanWarning(code="too_long", day=listed[0].isoformat(), item_ids=[], message=message))
        return ItineraryOut(
            group_id=str(group.id),
            group_name=group.name,
            seq=seq,
            timezone=group.timezone,
            start_date=group.start_date.isoformat(),
            end_date=group.end_date.isoformat(),
            travel_speed_kmh=speed,
            days=days,
            items=live,
            warnings=found,
        )


def check_request(client_op_id: str, base_seq: int) -> None:
    """What the socket door also checks, for callers that come another way (HTTP restore, demo data)."""
    if not 0 < len(client_op_id) <= MAX_CLIENT_OP_ID:
        raise Invalid(f"client_op_id must be a string of 1 to {MAX_CLIENT_OP_ID} characters")
    if base_seq < 0:
        raise Invalid("base_seq must be a non-negative integer")


def travel_days(start: date, end: date, max_days: int | None = None) -> list[date]:
    """The group's days in order, at most `max_days` of them."""
    count = span_days(start, end) if max_days is None else min(span_days(start, end), max_days)
    return [start + timedelta(days=n) for n in range(count)]
