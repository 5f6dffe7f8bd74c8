from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class Flight(OrgScoped, Base):
    """A flight a group takes. Times are stored in UTC; the IANA zone names give the local times back."""

    __tablename__ = "flights"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    airline: Mapped[str] = mapped_column(String(100))
    flight_number: Mapped[str] = mapped_column(String(8))  # normalized: "AZ611"
    departure_airport: Mapped[str] = mapped_column(String(3))  # IATA
    arrival_airport: Mapped[str] = mapped_column(String(3))
    departure_at: Mapped[datetime]
    departure_tz: Mapped[str] = mapped_column(String(64))
    arrival_at: Mapped[datetime]
    arrival_tz: Mapped[str] = mapped_column(String(64))
    departure_terminal: Mapped[str | None] = mapped_column(String(16), default=None)
    departure_gate: Mapped[str | None] = mapped_column(String(16), default=None)
    arrival_terminal: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlightPassenger(OrgScoped, Base):
    """A participant booked on a flight. The constraints make "on board twice" and "same seat" impossible."""

    __tablename__ = "flight_passengers"
    __table_args__ = (UniqueConstraint("flight_id", "participant_id"), UniqueConstraint("flight_id", "seat"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    flight_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    # NULL seats never collide (NULLs are distinct in unique constraints on SQLite and PostgreSQL).
    seat: Mapped[str | None] = mapped_column(String(4), default=None)
    booking_reference: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
