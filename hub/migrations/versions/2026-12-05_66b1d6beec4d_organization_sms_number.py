"""an organization's own SMS number: its texts go out from it, replies to it are routed to it alone

Revision ID: 66b1d6beec4d
Revises: bd40a6e02df4
Create Date: 2026-12-05 09:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "66b1d6beec4d"
down_revision: str | None = "bd40a6e02df4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_number", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_organizations_sms_number"), ["sms_number"])


def downgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_organizations_sms_number"), type_="unique")
        batch_op.drop_column("sms_number")
