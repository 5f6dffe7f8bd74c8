from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domains.kernel.db import Base, OrgScoped


class NumberSequence(OrgScoped, Base):
    """Gap-free counters per organization, name and year (group numbers, voucher numbers).

    Incremented with a single UPDATE, which takes the row lock, so concurrent creators queue up
    and never receive the same number.
    """

    __tablename__ = "number_sequences"
    __table_args__ = (UniqueConstraint("org_id", "name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)
