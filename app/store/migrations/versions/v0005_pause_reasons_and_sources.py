"""Who paused a pair and why; the names and links of each pair's board and spreadsheet.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add pair_flags.paused_by and .reason; create pair_sources."""
    op.add_column("pair_flags", sa.Column("paused_by", sa.String(200), nullable=True))
    op.add_column("pair_flags", sa.Column("reason", sa.Text, nullable=True))
    op.create_table(
        "pair_sources",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("board_name", sa.Text, nullable=False),
        sa.Column("board_url", sa.Text, nullable=False),
        sa.Column("spreadsheet_title", sa.Text, nullable=False),
        sa.Column("spreadsheet_url", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop pair_sources and the two pause columns."""
    op.drop_table("pair_sources")
    with op.batch_alter_table("pair_flags") as batch:
        batch.drop_column("reason")
        batch.drop_column("paused_by")
