"""Calendar feeds: what each pair's feed needs from the last board read, one JSON document per pair.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create calendar_feeds: the pair, its feed document, and when a run saved it."""
    op.create_table(
        "calendar_feeds",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop calendar_feeds."""
    op.drop_table("calendar_feeds")
