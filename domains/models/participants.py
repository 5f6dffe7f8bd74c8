from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class Booking(OrgScoped, Base):
    """A booking within a group: the travelers who booked together (a family, a couple)."""

    __tablename__ = "bookings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participant(OrgScoped, Base):
    """A traveler in a group; `user_id` links the traveler's own sign-in."""

    __tablename__ = "participants"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)  # E.164
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)  # ISO 3166 alpha-2
    date_of_birth: Mapped[date | None] = mapped_column(default=None)
    passport_number: Mapped[str | None] = mapped_column(String(32), default=None)
    dietary: Mapped[list[str]] = mapped_column(JSON, default=list)
    special_needs: Mapped[str] = mapped_column(String(1000), default="")
    roommate_preference: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
