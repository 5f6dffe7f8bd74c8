from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class Alert(OrgScoped, Base):
    """Something a person must see: a traveler's emergency or a hand-off, kept until someone acknowledges it.

    `key` names the cause (the hand-off), so one cause raises one alert. `level` counts the escalations so
    far and `next_escalation_at` says when the next one is due (None: acknowledged, or nobody left to
    tell); a scheduler claims a step by moving `level` on with a conditional update, so two processes never
    both escalate.
    """

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_next_escalation_at", "next_escalation_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # emergency | handoff
    reason: Mapped[str] = mapped_column(String(40))
    traveler_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    traveler_name: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(String(500), default="")  # the traveler's last words to the assistant
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    level: Mapped[int] = mapped_column(default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    acknowledged_by_name: Mapped[str | None] = mapped_column(String(200), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)


class AlertDelivery(OrgScoped, Base):
    """One person told of one alert, and how: the unique pair is why nobody hears of an alert twice."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "person"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    person: Mapped[str] = mapped_column(String(60))  # user:<id> for people who sign in, else staff:<id>
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # coordinator, guide, driver, dispatcher...
    channel: Mapped[str] = mapped_column(String(16))  # in_app | sms | email | sms+email | none
    level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
