from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped, utcnow


class CatalogItem(OrgScoped, Base):
    """Something an organization can sell or book for a group: a tour, an activity, a restaurant or a hotel.

    `open_hours` maps a weekday ("mon".."sun") to local "HH:MM-HH:MM" ranges (an end past midnight, like
    "19:00-01:00", runs into the next day); an empty map means "at any time, by arrangement". A weekday
    missing from a non-empty map means closed that day. Retired items stay as rows (`active` False) so
    past itineraries that link to them keep their meaning.
    """

    __tablename__ = "catalog_items"
    # The recommender's freshness check reads the newest change per organization.
    __table_args__ = (Index("ix_catalog_items_org_id_updated_at", "org_id", "updated_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(500), default="")
    lat: Mapped[float | None] = mapped_column(default=None)
    lng: Mapped[float | None] = mapped_column(default=None)
    description: Mapped[str] = mapped_column(String(4000), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    price_per: Mapped[str] = mapped_column(String(8), default="person")
    min_group_size: Mapped[int] = mapped_column(default=1)
    max_group_size: Mapped[int | None] = mapped_column(default=None)
    dietary_options: Mapped[list[str]] = mapped_column(JSON, default=list)
    open_hours: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    available_from: Mapped[date | None] = mapped_column(default=None)
    available_until: Mapped[date | None] = mapped_column(default=None)
    duration_minutes: Mapped[int | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
