"""Where each pair's runs stopped reading the board's actions, so the next run asks only for newer ones.

Revision ID: 0009_action_marks
Revises: 0008_drive_channels
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_action_marks"
down_revision: str | None = "0008_drive_channels"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create action_marks."""
    op.create_table(
        "action_marks",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("action_id", sa.String(64), nullable=False),
        sa.Column("action_date", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop action_marks."""
    op.drop_table("action_marks")
