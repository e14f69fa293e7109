"""The tab each pair last synced, by sheet id and title: a renamed tab is followed, not lost.

Revision ID: 0006_pair_tabs
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pair_tabs"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create pair_tabs."""
    op.create_table(
        "pair_tabs",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("spreadsheet", sa.Text, nullable=False),
        sa.Column("configured", sa.Text, nullable=False),
        sa.Column("sheet_id", sa.BigInteger, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop pair_tabs."""
    op.drop_table("pair_tabs")
