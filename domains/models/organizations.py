from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, utcnow


class Organization(Base):
    """A tour operator: the tenant every user and business row belongs to."""

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    require_totp_for_staff: Mapped[bool] = mapped_column(default=False)
    # The organization's own SMS number (E.164): its texts go out from it, and a reply to it is the
    # organization's. None: the hub's default sender, shared by every organization without a number.
    sms_number: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
