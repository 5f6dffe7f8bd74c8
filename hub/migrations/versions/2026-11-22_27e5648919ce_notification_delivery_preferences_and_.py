"""notification delivery preferences and senders

Revision ID: 27e5648919ce
Revises: 9d2388994c11
Create Date: 2026-11-22 05:13:59.537898
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domains.kernel.db

revision: str = "27e5648919ce"
down_revision: str | None = "9d2388994c11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing outbox rows get defaults for the new NOT NULL columns.
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("quiet_start", sa.String(length=5), nullable=True),
        sa.Column("quiet_end", sa.String(length=5), nullable=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("updated_at", domains.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_notification_preferences_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint(
            "recipient_kind", "recipient_id", name=op.f("uq_notification_preferences_recipient_kind_recipient_id")
        ),
    )
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_preferences_org_id"), ["org_id"], unique=False)

    op.create_table(
        "sender_identities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("desk", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", domains.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_sender_identities_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sender_identities")),
        sa.UniqueConstraint("org_id", "desk", name=op.f("uq_sender_identities_org_id_desk")),
    )
    with op.batch_alter_table("sender_identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sender_identities_org_id"), ["org_id"], unique=False)

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_name", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("group_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("assignment_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("voucher_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("sender", sa.String(length=320), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sender_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reply_to", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attachment", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("provider", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("provider_message_id", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("provider_status", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("provider_status_at", domains.kernel.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_notifications_assignment_id"), ["assignment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_provider_message_id"), ["provider_message_id"], unique=False)
        batch_op.create_index("ix_notifications_recipient_created_at", ["recipient", "created_at"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_created_at")
        batch_op.drop_index(batch_op.f("ix_notifications_provider_message_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_group_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_assignment_id"))
        batch_op.drop_column("provider_status_at")
        batch_op.drop_column("provider_status")
        batch_op.drop_column("provider_message_id")
        batch_op.drop_column("provider")
        batch_op.drop_column("note")
        batch_op.drop_column("attachment")
        batch_op.drop_column("html_body")
        batch_op.drop_column("reply_to")
        batch_op.drop_column("sender_name")
        batch_op.drop_column("sender")
        batch_op.drop_column("voucher_id")
        batch_op.drop_column("assignment_id")
        batch_op.drop_column("group_id")
        batch_op.drop_column("urgent")
        batch_op.drop_column("language")
        batch_op.drop_column("event_name")

    with op.batch_alter_table("sender_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sender_identities_org_id"))

    op.drop_table("sender_identities")
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_preferences_org_id"))

    op.drop_table("notification_preferences")
    # ### end Alembic commands ###
