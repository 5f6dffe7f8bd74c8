from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class Itinerary(OrgScoped, Base):
    """A group's itinerary. Its row is the lock every op takes, so ops on one itinerary apply one at a time."""

    __tablename__ = "itineraries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), unique=True)
    # Speed assumed between two places when checking that the gap between items is long enough.
    travel_speed_kmh: Mapped[float] = mapped_column(default=30.0)
    # The room seq of the last op applied: the materialized items below are the log folded up to here.
    last_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItineraryItem(OrgScoped, Base):
    """One item as it stands after every op so far. Removed items stay as tombstones, so a late
    `set_fields` on them is recognised (and dropped) and a restore can bring them back with their id.

    `position` is a fractional key compared by code point: sort in Python, never with ORDER BY (database
    collations do not order `a` and `B` the way the keys need).
    """

    __tablename__ = "itinerary_items"

    itinerary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("itineraries.id", ondelete="CASCADE"), primary_key=True)
    # Chosen by the client that added the item; unique within its itinerary.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date]
    position: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    start_time: Mapped[str | None] = mapped_column(String(5), default=None)  # local "HH:MM"
    end_time: Mapped[str | None] = mapped_column(String(5), default=None)
    place: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    notes: Mapped[str] = mapped_column(String(4000), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    # Plain ids, no foreign keys: a cancelled voucher or flight must not break the plan people are reading.
    voucher_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    flight_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # What was booked from the catalog; read as "what this group did" by the recommender.
    catalog_item_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    staff_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    removed: Mapped[bool] = mapped_column(default=False)


class ItineraryOp(OrgScoped, Base):
    """The op log: every applied op in server order, resolved (keys, full restore diffs) so replaying it
    from empty reproduces the itinerary at any seq."""

    __tablename__ = "itinerary_ops"
    __table_args__ = (
        UniqueConstraint("itinerary_id", "client_op_id"),
        UniqueConstraint("itinerary_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    itinerary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("itineraries.id", ondelete="CASCADE"))
    seq: Mapped[int]  # the group room's seq, shared with chat
    client_op_id: Mapped[str] = mapped_column(String(64))
    base_seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    op: Mapped[dict[str, Any]] = mapped_column(JSON)
    dropped: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
