"""What protections each pair's last run left: the next run (another process, after a restart, a CLI
`sync`) compares the sheet with them and reports a removed or widened one.

Revision ID: 0013_pair_protections
Revises: 0012_intake_cards
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_pair_protections"
down_revision: str | None = "0012_intake_cards"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create pair_protections: the pair, its protections (JSON), and when a run saved them."""
    op.create_table(
        "pair_protections",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop pair_protections."""
    op.drop_table("pair_protections")
