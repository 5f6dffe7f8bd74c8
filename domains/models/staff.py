from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class StaffMember(OrgScoped, Base):
    """A guide, driver or coordinator in the directory; may be linked to a user who signs in."""

    __tablename__ = "staff_members"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    home_city: Mapped[str | None] = mapped_column(String(100), default=None)
    specializations: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"name": "Licensed guide Lisbon", "expires_on": "2027-06-30"}]
    certifications: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    rating: Mapped[float] = mapped_column(default=0.0)
    preferred_contact: Mapped[str] = mapped_column(String(16), default="sms")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffUnavailability(OrgScoped, Base):
    """A period the person cannot work (leave, another employer, sickness)."""

    __tablename__ = "staff_unavailability"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")


class Assignment(OrgScoped, Base):
    """A staff member working for a group over a date range, as primary or backup."""

    __tablename__ = "assignments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date]
    end_date: Mapped[date]
    is_primary: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
