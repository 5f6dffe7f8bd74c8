"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import domains.models  # noqa: F401
from domains.kernel.db import Base
from domains.kernel.runtime import Hub


async def test_migrations_match_the_models(hub: Hub) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with hub.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []
