"""Compressed snapshots of each pair's tab, for `boardsheet restore`.

Revision ID: 0010_tab_snapshots
Revises: 0009_action_marks
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_tab_snapshots"
down_revision: str | None = "0009_action_marks"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create tab_snapshots (zlib-compressed JSON documents, newest per pair found by index)."""
    op.create_table(
        "tab_snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pair", sa.String(200), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("document", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_tab_snapshots_pair_taken_at", "tab_snapshots", ["pair", "taken_at"])


def downgrade() -> None:
    """Drop tab_snapshots."""
    op.drop_index("ix_tab_snapshots_pair_taken_at", table_name="tab_snapshots")
    op.drop_table("tab_snapshots")
