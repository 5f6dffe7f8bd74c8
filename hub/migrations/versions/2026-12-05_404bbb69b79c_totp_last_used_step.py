"""users.totp_last_step: the time step of the last one-time code accepted, so a code is good only once

Revision ID: 404bbb69b79c
Revises: e0849849006f
Create Date: 2026-12-05 08:57:50.505777
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "404bbb69b79c"
down_revision: str | None = "e0849849006f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
