"""Each audited spreadsheet's sharing: last seen owner, last audit, standing events, last applied plan.

Revision ID: 0011_sharing_audits
Revises: 0010_tab_snapshots
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_sharing_audits"
down_revision: str | None = "0010_tab_snapshots"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create sharing_audits (one row per spreadsheet; events as a JSON list)."""
    op.create_table(
        "sharing_audits",
        sa.Column("spreadsheet", sa.String(200), primary_key=True),
        sa.Column("owner", sa.Text, nullable=True),
        sa.Column("audited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("events", sa.Text, nullable=False),
        sa.Column("applied_plan", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    """Drop sharing_audits."""
    op.drop_table("sharing_audits")
