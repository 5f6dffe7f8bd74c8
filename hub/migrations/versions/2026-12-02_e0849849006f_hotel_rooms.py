"""the hotel room table is called hotel_rooms, so "room" means a chat room only

Revision ID: e0849849006f
Revises: c4a7a10e5e1d
Create Date: 2026-12-02 18:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e0849849006f"
down_revision: str | None = "c4a7a10e5e1d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "id, rooming_list_id, label, room_type, notes, position, org_id"
OCCUPANT_FK = "fk_room_occupants_room_id_{table}"


def upgrade() -> None:
    rename("rooms", "hotel_rooms")


def downgrade() -> None:
    rename("hotel_rooms", "rooms")


def rename(old: str, new: str) -> None:
    """Rename the table with every index and constraint named after it (see NAMING_CONVENTION)."""
    if op.get_context().dialect.name == "postgresql":
        op.rename_table(old, new)
        for name in ("ix_{}_org_id", "ix_{}_rooming_list_id"):
            op.execute(f"ALTER INDEX {name.format(old)} RENAME TO {name.format(new)}")
        for name in (
            "pk_{}",
            "uq_{}_rooming_list_id_label",
            "fk_{}_org_id_organizations",
            "fk_{}_rooming_list_id_rooming_lists",
        ):
            op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT {name.format(old)} TO {name.format(new)}")
        op.execute(
            f"ALTER TABLE room_occupants RENAME CONSTRAINT {OCCUPANT_FK.format(table=old)}"
            f" TO {OCCUPANT_FK.format(table=new)}"
        )
        return
    # SQLite keeps constraint names inside the table's definition, and rebuilding the table in place would
    # drop it while room_occupants still points at it: with foreign keys on, that deletes every occupant
    # (ON DELETE CASCADE). So: build the new table, copy the rows, move the occupants' foreign key to it
    # (batch rebuilds room_occupants, which nothing references), and only then drop the old table.
    create_table(new)
    op.execute(f"INSERT INTO {new} ({COLUMNS}) SELECT {COLUMNS} FROM {old}")  # noqa: S608 - fixed names
    with op.batch_alter_table("room_occupants", recreate="always") as batch_op:
        batch_op.drop_constraint(OCCUPANT_FK.format(table=old), type_="foreignkey")
        batch_op.create_foreign_key(OCCUPANT_FK.format(table=new), new, ["room_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table(old) as batch_op:
        batch_op.drop_index(f"ix_{old}_rooming_list_id")
        batch_op.drop_index(f"ix_{old}_org_id")
    op.drop_table(old)


def create_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rooming_list_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("room_type", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=f"fk_{name}_org_id_organizations", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rooming_list_id"],
            ["rooming_lists.id"],
            name=f"fk_{name}_rooming_list_id_rooming_lists",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.UniqueConstraint("rooming_list_id", "label", name=f"uq_{name}_rooming_list_id_label"),
    )
    with op.batch_alter_table(name) as batch_op:
        batch_op.create_index(f"ix_{name}_org_id", ["org_id"], unique=False)
        batch_op.create_index(f"ix_{name}_rooming_list_id", ["rooming_list_id"], unique=False)
