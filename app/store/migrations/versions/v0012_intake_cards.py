"""The intake's card creations: one row per idea, noted before its POST (exactly one card per row).

Revision ID: 0012_intake_cards
Revises: 0011_sharing_audits
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_intake_cards"
down_revision: str | None = "0011_sharing_audits"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create intake_cards."""
    op.create_table(
        "intake_cards",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("row_key", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("card_id", sa.String(64), nullable=True),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
    )
    op.create_index("ix_intake_cards_pair_card_id", "intake_cards", ["pair", "card_id"])


def downgrade() -> None:
    """Drop intake_cards."""
    op.drop_index("ix_intake_cards_pair_card_id", table_name="intake_cards")
    op.drop_table("intake_cards")
