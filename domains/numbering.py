"""Gap-free, duplicate-free sequential numbers per organization (G-2026-0042, V-2026-0007)."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import NumberSequence


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


async def current_number(session: AsyncSession, org_id: uuid.UUID, name: str, year: int) -> int:
    result = await session.execute(
        select(NumberSequence.value).where(
            NumberSequence.org_id == org_id, NumberSequence.name == name, NumberSequence.year == year
        )
    )
    return int(result.scalar_one_or_none() or 0)
