"""Drive push channels shared by every replica; the last sheet-edit hint of each pair.

Revision ID: 0008_drive_channels
Revises: 0007_option_texts
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_drive_channels"
down_revision: str | None = "0007_option_texts"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create drive_channels (one row per open or opening channel) and sheet_edits (one row per pair)."""
    op.create_table(
        "drive_channels",
        sa.Column("channel_id", sa.String(64), primary_key=True),
        sa.Column("spreadsheet", sa.String(200), nullable=False),
        sa.Column("resource_id", sa.Text, nullable=True),
        sa.Column("token", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
    )
    op.create_table(
        "sheet_edits",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("editor", sa.Text, nullable=False),
        sa.Column("sheet_range", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("sheet_edits")
    op.drop_table("drive_channels")
