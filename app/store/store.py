"""The state store (SQLite or PostgreSQL): bases, runs, calendar feeds, tab snapshots; its parts the rest."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.core.records import ChangeRecord, HeldPlan, Outcome, PairFlags, PairSources, RunRecord
from app.store import plans, snapshots
from app.store.db import create_store_engine, normalise_url, upgrade_to_head
from app.store.drive_state import DriveStateMixin
from app.store.echoes import OwnWritesMixin
from app.store.intake import IntakeStateMixin
from app.store.log_state import ChangeLogMixin
from app.store.pair_state import PairStateMixin
from app.store.pending import PendingChange, mark_written
from app.store.plan_state import HeldPlansMixin
from app.store.sharing_state import SharingStateMixin
from app.store.tables import bases, calendar_feeds, metadata, runs
from app.store.tables import changes as change_log

__all__ = [
    "ChangeRecord",
    "HeldPlan",
    "Outcome",
    "PairFlags",
    "PairSources",
    "PendingChange",
    "RunRecord",
    "Store",
    "store_for_reading",
]

SYNCED: tuple[Outcome, ...] = ("ok", "noop")
_RUN_COLUMNS = tuple(f.name for f in fields(RunRecord) if f.name != "id")


def _utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class Store(
    PairStateMixin,
    ChangeLogMixin,
    HeldPlansMixin,
    DriveStateMixin,
    SharingStateMixin,
    IntakeStateMixin,
    OwnWritesMixin,
):
    """Persistent state shared by every replica; thread-safe; database errors raise StoreError."""

    def __init__(self, url: str, *, clock: Callable[[], datetime] = _utcnow, migrate: bool = True) -> None:
        """Open the database at `url` and migrate it to the newest schema.

        `migrate=False` (an in-memory store to read from, nothing to keep): the tables are created from
        app.store.tables, which tests/store/test_migrations.py holds equal to the migrations; no Alembic.
        """
        parsed = normalise_url(url)
        self._secret = parsed.password
        self._clock = clock
        with self._translated("open the database"):
            self._engine = create_store_engine(parsed)
            try:
                if migrate:
                    upgrade_to_head(self._engine)
                else:
                    metadata.create_all(self._engine)
            except BaseException:
                self._engine.dispose()
                raise

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()
        if self._lock_engine is not None:
            self._lock_engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def engine(self) -> sa.Engine:
        """The underlying engine (tests and health checks)."""
        return self._engine

    def ping(self) -> None:
        """Raise StoreError unless the database answers."""
        with self._translated("reach the database"), self._engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    # -- bases and runs --------------------------------------------------------------------------

    def load_base(self, pair: str) -> dict[str, dict[str, Any]] | None:
        """The pair's base (key -> header -> cell value), or None when none was ever saved."""
        query = sa.select(bases.c.document).where(bases.c.pair == pair)
        with self._translated(f"load the base of pair {pair!r}"), self._engine.begin() as connection:
            document = connection.execute(query).scalar_one_or_none()
        if document is None:
            return None
        base: dict[str, dict[str, Any]] = json.loads(document)
        return base

    def save_write(
        self, pair: str, key: str, cells: dict[str, Any], changes: Sequence[ChangeRecord] = ()
    ) -> None:
        """In one transaction: set some base cells of one row (key -> header -> value) and log `changes`.

        Called after each applied Trello write, so a run stopped half way leaves a base that already
        knows the writes made: the next run sees Trello equal to the base and writes nothing twice.
        """
        query = sa.select(bases.c.document).where(bases.c.pair == pair)
        with self._translated(f"save a write of pair {pair!r}"), self._engine.begin() as connection:
            document = connection.execute(query.with_for_update()).scalar_one_or_none()
            base: dict[str, dict[str, Any]] = json.loads(document) if document is not None else {}
            base.setdefault(key, {}).update(cells)
            self._upsert(
                connection, bases, {"pair": pair}, {"document": self._dumps(base), "saved_at": self._clock()}
            )
            if changes:
                connection.execute(sa.insert(change_log), [asdict(change) for change in changes])

    def save_run(
        self,
        pair: str,
        base: dict[str, dict[str, Any]] | None,
        run: RunRecord,
        *,
        written_change_ids: Sequence[int] = (),
    ) -> int:
        """In one transaction: replace the base (unless None), append `run`, mark changes as written.

        A run that ended in sync also clears the pair's plan waiting for approval: it is no longer needed
        (the archive was undone, or the plan was applied).
        """
        if run.pair != pair:
            raise ValueError(f"run of pair {run.pair!r} saved under pair {pair!r}")
        document = None if base is None else self._dumps(base)
        values = {name: getattr(run, name) for name in _RUN_COLUMNS}
        with self._translated(f"save the run of pair {pair!r}"), self._engine.begin() as connection:
            if document is not None:
                values_base = {"document": document, "saved_at": self._clock()}
                self._upsert(connection, bases, {"pair": pair}, values_base)
            mark_written(connection, pair, written_change_ids, self._clock())
            if run.outcome in SYNCED:
                plans.clear_waiting(connection, pair)
            return _inserted_id(connection.execute(sa.insert(runs).values(**values)))

    def last_synced_start(self, pair: str) -> datetime | None:
        """When the pair's latest run that left it in sync (ok, noop) started, in any process; None: never."""
        query = sa.select(sa.func.max(runs.c.started_at)).where(
            runs.c.pair == pair, runs.c.outcome.in_(SYNCED)
        )
        with self._translated(f"read the last run of pair {pair!r}"), self._engine.begin() as connection:
            started: datetime | None = connection.execute(query).scalar_one_or_none()
        return started

    def runs(self, pair: str | None = None, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first, of one pair or of all."""
        query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
        if pair is not None:
            query = query.where(runs.c.pair == pair)
        with self._translated("read the run history"), self._engine.begin() as connection:
            rows = connection.execute(query).mappings().all()
        return [RunRecord(**row) for row in rows]

    # -- calendar feeds --------------------------------------------------------------------------

    def save_feed(self, pair: str, document: dict[str, Any]) -> None:
        """Replace the pair's calendar feed document."""
        values = {"document": self._dumps(document), "saved_at": self._clock()}
        with self._translated(f"save the calendar feed of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, calendar_feeds, {"pair": pair}, values)

    def load_feed(self, pair: str) -> dict[str, Any] | None:
        """The pair's calendar feed document, or None before its first run."""
        query = sa.select(calendar_feeds.c.document).where(calendar_feeds.c.pair == pair)
        with self._translated(f"load the calendar feed of pair {pair!r}"), self._engine.begin() as connection:
            document = connection.execute(query).scalar_one_or_none()
        if document is None:
            return None
        feed: dict[str, Any] = json.loads(document)
        return feed

    # -- tab snapshots ---------------------------------------------------------------------------

    def save_snapshot(
        self, pair: str, document: dict[str, Any], digest: str, retention: snapshots.Retention
    ) -> bool:
        """Keep a snapshot of the pair's tab unless its newest has this digest (then nothing is written)."""
        with self._translated(f"save a snapshot of pair {pair!r}"), self._engine.begin() as connection:
            return snapshots.save(connection, pair, document, digest, self._clock(), retention)

    def snapshot_at(self, pair: str, when: datetime | None = None) -> snapshots.Snapshot | None:
        """The pair's newest snapshot taken at or before `when` (newest of all when None)."""
        with self._translated(f"read the snapshots of pair {pair!r}"), self._engine.begin() as connection:
            return snapshots.at_or_before(connection, pair, when)

    def snapshot_after(self, pair: str, when: datetime) -> snapshots.Snapshot | None:
        """The pair's oldest snapshot taken at or after `when`."""
        with self._translated(f"read the snapshots of pair {pair!r}"), self._engine.begin() as connection:
            return snapshots.at_or_after(connection, pair, when)

    def snapshot_count(self, pair: str) -> int:
        """How many snapshots the pair has (tests, status)."""
        with self._translated(f"read the snapshots of pair {pair!r}"), self._engine.begin() as connection:
            return snapshots.count(connection, pair)


def store_for_reading(url: str) -> Store:
    """A store to read only (plan, status, check-config --online): a SQLite file that does not exist yet
    is not created (an empty in-memory store stands in for it); any other store is opened as usual."""
    parsed = normalise_url(url)
    database = parsed.database
    local = parsed.get_backend_name() == "sqlite" and database not in (None, "", ":memory:")
    if local and not Path(str(database)).exists():
        return Store("sqlite://", migrate=False)  # nothing to read: no migration to run either
    return Store(url)


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    """The integer primary key a single-row INSERT created."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT reported no primary key")
    return int(key[0])
