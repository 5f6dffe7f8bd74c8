"""room logs per organization: each organization's board:dispatch counts its own seqs

Revision ID: bd40a6e02df4
Revises: 404bbb69b79c
Create Date: 2026-12-05 09:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bd40a6e02df4"
down_revision: str | None = "404bbb69b79c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The board's counter used to be shared by every organization: each organization whose events have no
# counter row of its own gets one, continuing after its last stored seq (its old history keeps its gaps).
OWN_COUNTERS = """
INSERT INTO room_sequences (org_id, room, last_seq)
SELECT e.org_id, e.room, MAX(e.seq) FROM room_events e
WHERE NOT EXISTS (SELECT 1 FROM room_sequences s WHERE s.org_id = e.org_id AND s.room = e.room)
GROUP BY e.org_id, e.room
"""


def upgrade() -> None:
    with op.batch_alter_table("room_sequences", schema=None) as batch_op:
        batch_op.drop_constraint("pk_room_sequences", type_="primary")
        batch_op.create_primary_key("pk_room_sequences", ["org_id", "room"])
    with op.batch_alter_table("room_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_room_events_room_seq", type_="unique")
        batch_op.create_unique_constraint("uq_room_events_org_id_room_seq", ["org_id", "room", "seq"])
    op.execute(sa.text(OWN_COUNTERS))


def downgrade() -> None:
    # One counter per room again: the board keeps the highest organization's count, and events of
    # different organizations that share a seq keep only the first.
    op.execute(sa.text("DELETE FROM room_events WHERE id NOT IN (SELECT MIN(id) FROM room_events GROUP BY room, seq)"))
    op.execute(
        sa.text(
            "DELETE FROM room_sequences WHERE EXISTS (SELECT 1 FROM room_sequences s WHERE s.room = room_sequences.room"
            " AND (s.last_seq > room_sequences.last_seq OR (s.last_seq = room_sequences.last_seq"
            " AND s.org_id < room_sequences.org_id)))"
        )
    )
    with op.batch_alter_table("room_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_room_events_org_id_room_seq", type_="unique")
        batch_op.create_unique_constraint("uq_room_events_room_seq", ["room", "seq"])
    with op.batch_alter_table("room_sequences", schema=None) as batch_op:
        batch_op.drop_constraint("pk_room_sequences", type_="primary")
        batch_op.create_primary_key("pk_room_sequences", ["room"])
