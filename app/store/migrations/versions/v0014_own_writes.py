"""Our own Trello writes, kept in the store: the replica (or CLI run) that takes in their echo leaves it
out of the change log, whichever process wrote.

Revision ID: 0014_own_writes
Revises: 0013_pair_protections
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_own_writes"
down_revision: str | None = "0013_pair_protections"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create own_writes: one row per card field written, by the token's member, and when."""
    op.create_table(
        "own_writes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("card_id", sa.String(64), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("member", sa.String(64), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_own_writes_card_field", "own_writes", ["card_id", "field", "member"])
    op.create_index("ix_own_writes_written_at", "own_writes", ["written_at"])


def downgrade() -> None:
    """Drop own_writes."""
    op.drop_index("ix_own_writes_written_at", table_name="own_writes")
    op.drop_index("ix_own_writes_card_field", table_name="own_writes")
    op.drop_table("own_writes")
