"""Change log rows remember when they reached the pair's Changes tab.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add changes.written_at (NULL: not written yet) and the index the pending-rows query uses."""
    op.add_column("changes", sa.Column("written_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_changes_pair_written_at", "changes", ["pair", "written_at"])


def downgrade() -> None:
    """Drop the column and its index."""
    op.drop_index("ix_changes_pair_written_at", table_name="changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("written_at")
