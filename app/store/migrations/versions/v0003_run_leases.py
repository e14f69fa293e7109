"""Run leases: at most one run per pair at a time, across replicas and `boardsheet sync`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create run_leases: the pair, who holds its lease, and when the lease lapses."""
    op.create_table(
        "run_leases",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop run_leases."""
    op.drop_table("run_leases")
