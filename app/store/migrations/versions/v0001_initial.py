"""Initial schema: bases, runs, change log, seen webhook actions, held plans, pair flags.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    """The column type behind app.store.tables.UTCDateTime."""
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of the state store."""
    op.create_table(
        "bases",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("saved_at", _utc(), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pair", sa.String(200), nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        *(
            sa.Column(name, sa.Integer, nullable=False)
            for name in (
                "rows_added",
                "rows_removed",
                "cells_changed",
                "trello_requests",
                "sheets_reads",
                "sheets_writes",
            )
        ),
        sa.CheckConstraint("outcome IN ('ok', 'noop', 'failed', 'held', 'refused')", name="ck_runs_outcome"),
    )
    op.create_index("ix_runs_pair_started_at", "runs", ["pair", "started_at"])
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("pair", sa.String(200), nullable=False),
        sa.Column("board_id", sa.String(64), nullable=False),
        sa.Column("action_id", sa.String(64), nullable=False),
        sa.Column("action_type", sa.String(64), nullable=False),
        sa.Column("member", sa.String(200), nullable=False),
        sa.Column("card_id", sa.String(64), nullable=False),
        sa.Column("card_name", sa.Text, nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    op.create_index("ix_changes_pair_at", "changes", ["pair", "at"])
    op.create_index("ix_changes_at", "changes", ["at"])
    op.create_table(
        "seen_actions",
        sa.Column("action_id", sa.String(64), primary_key=True),
        sa.Column("seen_at", _utc(), nullable=False),
    )
    op.create_index("ix_seen_actions_seen_at", "seen_actions", ["seen_at"])
    op.create_table(
        "held_plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pair", sa.String(200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("approved_at", _utc(), nullable=True),
        sa.Column("approved_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_held_plans_pair", "held_plans", ["pair"])
    op.create_table(
        "pair_flags",
        sa.Column("pair", sa.String(200), primary_key=True),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    """Drop every table of the state store."""
    for table in ("pair_flags", "held_plans", "seen_actions", "changes", "runs", "bases"):
        op.drop_table(table)
