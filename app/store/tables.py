"""The state store's tables (SQLAlchemy Core); the Alembic revisions in turn create exactly these."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend; naive datetimes are refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Normalise to UTC; SQLite keeps no zone, so it gets the naive UTC wall time."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the state store only keeps timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime whatever the backend handed back."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

# One JSON document per pair: a 5,000-card base is one row, written by one statement.
bases = sa.Table(
    "bases",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pair", sa.String(200), nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("rows_added", sa.Integer, nullable=False),
    sa.Column("rows_removed", sa.Integer, nullable=False),
    sa.Column("cells_changed", sa.Integer, nullable=False),
    sa.Column("trello_requests", sa.Integer, nullable=False),
    sa.Column("sheets_reads", sa.Integer, nullable=False),
    sa.Column("sheets_writes", sa.Integer, nullable=False),
    sa.CheckConstraint(
        "outcome IN ('ok', 'noop', 'failed', 'held', 'refused')",
        name="ck_runs_outcome",
    ),
    sa.Index("ix_runs_pair_started_at", "pair", "started_at"),
    sa.Index("ix_runs_started_at", "started_at"),
)

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False),
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
    # When the row reached the pair's Changes tab (revision 0002); NULL while it waits for a run.
    sa.Column("written_at", UTCDateTime, nullable=True),
    sa.Index("ix_changes_pair_at", "pair", "at"),
    sa.Index("ix_changes_at", "at"),
    sa.Index("ix_changes_pair_written_at", "pair", "written_at"),
)

# The primary key makes "first delivery wins" atomic across replicas.
seen_actions = sa.Table(
    "seen_actions",
    metadata,
    sa.Column("action_id", sa.String(64), primary_key=True),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Index("ix_seen_actions_seen_at", "seen_at"),
)

# Our own Trello writes (card, field, the token's member), so any replica leaves their echoes out of the log.
own_writes = sa.Table(
    "own_writes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("card_id", sa.String(64), nullable=False),
    sa.Column("field", sa.String(300), nullable=False),
    sa.Column("member", sa.String(64), nullable=False),
    sa.Column("written_at", UTCDateTime, nullable=False),
    sa.Index("ix_own_writes_card_field", "card_id", "field", "member"),
    sa.Index("ix_own_writes_written_at", "written_at"),
)

held_plans = sa.Table(
    "held_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pair", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("plan", sa.Text, nullable=False),
    sa.Column("approved_at", UTCDateTime, nullable=True),
    sa.Column("approved_by", sa.String(200), nullable=True),
    sa.Index("ix_held_plans_pair", "pair"),
)

pair_flags = sa.Table(
    "pair_flags",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # Who paused the pair and why (revision 0004); kept until the next pause, shown while paused.
    sa.Column("paused_by", sa.String(200), nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
)

# The board's and spreadsheet's names and links as the last run read them (revision 0004), for /status.
pair_sources = sa.Table(
    "pair_sources",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("board_name", sa.Text, nullable=False),
    sa.Column("board_url", sa.Text, nullable=False),
    sa.Column("spreadsheet_title", sa.Text, nullable=False),
    sa.Column("spreadsheet_url", sa.Text, nullable=False),
    # Option id -> text of the board's list custom fields, a JSON object (revision 0007_option_texts).
    sa.Column("option_texts", sa.Text, nullable=False, server_default="{}"),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# The tab each pair last synced, by sheet id (stable across renames) and title (revision 0006_pair_tabs).
pair_tabs = sa.Table(
    "pair_tabs",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("spreadsheet", sa.Text, nullable=False),
    sa.Column("configured", sa.Text, nullable=False),
    sa.Column("sheet_id", sa.BigInteger, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# The newest Trello action each pair's runs logged (revision 0009_action_marks): the next read's `since`.
action_marks = sa.Table(
    "action_marks",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("action_id", sa.String(64), nullable=False),
    sa.Column("action_date", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# One row per pair while a run of it is in flight on some replica or CLI (revision 0003); see store_leases.
run_leases = sa.Table(
    "run_leases",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("holder", sa.Text, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

# One JSON document per pair (revision 0004): what GET /calendar/{pair}.ics serves, from the last board read.
calendar_feeds = sa.Table(
    "calendar_feeds",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
)

# One row per Drive push channel we opened or are opening (revision 0008_drive_channels); the row is
# written before files.watch is called, so a notification arriving at once is already known to every replica.
drive_channels = sa.Table(
    "drive_channels",
    metadata,
    sa.Column("channel_id", sa.String(64), primary_key=True),
    sa.Column("spreadsheet", sa.String(200), nullable=False),
    sa.Column("resource_id", sa.Text, nullable=True),  # None until Drive answered files.watch
    sa.Column("token", sa.Text, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("opened_by", sa.Text, nullable=False),
)

# The last verified instant-mode hint of each pair (revision 0008_drive_channels): who edited the sheet,
# and where.
sheet_edits = sa.Table(
    "sheet_edits",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("editor", sa.Text, nullable=False),
    sa.Column("sheet_range", sa.Text, nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
)

# Compressed snapshots of each pair's tab (revision 0010_tab_snapshots); see store/snapshots.py.
tab_snapshots = sa.Table(
    "tab_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pair", sa.String(200), nullable=False),
    sa.Column("taken_at", UTCDateTime, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("document", sa.LargeBinary, nullable=False),
    sa.Index("ix_tab_snapshots_pair_taken_at", "pair", "taken_at"),
)

# Each audited spreadsheet's sharing (revision 0011_sharing_audits): the owner the last audit saw (an owner
# change is an event), when it ran, the events still standing (JSON list), the last held plan applied.
sharing_audits = sa.Table(
    "sharing_audits",
    metadata,
    sa.Column("spreadsheet", sa.String(200), primary_key=True),
    sa.Column("owner", sa.Text, nullable=True),
    sa.Column("audited_at", UTCDateTime, nullable=True),
    sa.Column("events", sa.Text, nullable=False),
    sa.Column("applied_plan", sa.Integer, nullable=True),
)

# The intake's creations (revision 0012_intake_cards): noted before each card's POST, its card id after
# it, done once the row shows the card; `base` holds the row's last synced cells (JSON). See
# docs/concurrency.md ("Exactly one card per idea").
intake_cards = sa.Table(
    "intake_cards",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("row_key", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("list_id", sa.String(64), nullable=False),
    sa.Column("noted_at", UTCDateTime, nullable=False),
    sa.Column("card_id", sa.String(64), nullable=True),
    sa.Column("base", sa.Text, nullable=False),
    sa.Column("done", sa.Boolean, nullable=False),
    sa.Index("ix_intake_cards_pair_card_id", "pair", "card_id"),
)

# The protected ranges each pair's last run left (revision 0013_pair_protections), one JSON list per pair:
# what the next run, in any process, compares the sheet with to report a removed or widened one.
pair_protections = sa.Table(
    "pair_protections",
    metadata,
    sa.Column("pair", sa.String(200), primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
)
