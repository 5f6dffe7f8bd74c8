from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class RoomingList(OrgScoped, Base):
    """Who sleeps in which room at one hotel, for one group."""

    __tablename__ = "rooming_lists"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # The hotel voucher this list belongs to. Deliberately no foreign key yet: the vouchers table is
    # built concurrently in another branch; a later migration adds the constraint once both have landed.
    voucher_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    hotel_name: Mapped[str] = mapped_column(String(200))
    # Participant ids (as strings) who knowingly have no room here (staying with friends, leaving early).
    not_staying: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HotelRoom(OrgScoped, Base):
    """A hotel room on a rooming list; `label` is the hotel's room number or our own name for it ("Room 3").

    Called a hotel room because "room" alone is a chat room (`domains.kernel.rooms`)."""

    __tablename__ = "hotel_rooms"
    __table_args__ = (UniqueConstraint("rooming_list_id", "label"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    rooming_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooming_lists.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    room_type: Mapped[str] = mapped_column(String(32))
    notes: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[int] = mapped_column(default=0)


class RoomOccupant(OrgScoped, Base):
    """A participant in a room. Unique per list, so nobody can ever be stored in two rooms of one hotel."""

    __tablename__ = "room_occupants"
    __table_args__ = (UniqueConstraint("rooming_list_id", "participant_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    rooming_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooming_lists.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hotel_rooms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
