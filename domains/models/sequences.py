from __future__ import annotations

import uuid

from sqlalchemy import String, UniqueConstraint, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
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


async def next_number(session: AsyncSession, org_id: uuid.UUID, name: str, year: int) -> int:
    """The next value; the UPDATE holds the counter's row lock until the caller's transaction ends."""
    for _ in range(2):
        result = await session.execute(
            update(NumberSequence)
            .where(NumberSequence.org_id == org_id, NumberSequence.name == name, NumberSequence.year == year)
            .values(value=NumberSequence.value + 1)
            .returning(NumberSequence.value)
            .execution_options(synchronize_session=False)
        )
        value = result.scalar_one_or_none()
        if value is not None:
            return int(value)
        try:
            async with session.begin_nested():
                session.add(NumberSequence(org_id=org_id, name=name, year=year, value=0))
        except IntegrityError:
            pass  # a concurrent creator inserted the counter first; the UPDATE now finds it
    raise RuntimeError("could not allocate a number")  # pragma: no cover
