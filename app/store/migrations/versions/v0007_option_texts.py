"""The option texts of each pair's list custom fields, so any process can name them in the change log.

Revision ID: 0007_option_texts
Revises: 0006_pair_tabs
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_option_texts"
down_revision: str | None = "0006_pair_tabs"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add pair_sources.option_texts (a JSON object, empty until the pair's next run)."""
    op.add_column("pair_sources", sa.Column("option_texts", sa.Text, nullable=False, server_default="{}"))


def downgrade() -> None:
    """Drop pair_sources.option_texts."""
    with op.batch_alter_table("pair_sources") as batch:
        batch.drop_column("option_texts")
