"""The state store (SQLite or PostgreSQL): bases, runs, change log, seen actions, held plans, pauses."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.core.records import ChangeRecord, HeldPlan, Outcome, PairFlags, PairSources, RunRecord
from app.errors import UnknownPlanError
from app.store import plans, seen, snapshots
from app.store.db import create_store_engine, normalise_url, upgrade_to_head
from app.store.drive_state import DriveStateMixin
from app.store.echoes import OWN_WRITES_KEPT, EchoClaims, OwnWritesMixin, prune_writes
from app.store.intake import IntakeStateMixin
from app.store.pair_state import PairStateMixin
from app.store.pending import PendingChange, mark_written, select_unwritten
from app.store.sharing_state import SharingStateMixin
from app.store.tables import bases, calendar_feeds, metadata, runs, seen_actions
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

# Trello retries a webhook for minutes, not days: remembering action ids this long is plenty.
SEEN_ACTIONS_KEPT = timedelta(days=3)
# Old action ids are pruned at most this often: pruning on every webhook cost each one a transaction.
SEEN_ACTIONS_PRUNE_EVERY = timedelta(minutes=1)
# Ids are the schema's INTEGER: anything outside names no plan (and would overflow the driver).
MAX_ID = 2**31 - 1
SYNCED: tuple[Outcome, ...] = ("ok", "noop")
_RUN_COLUMNS = tuple(f.name for f in fields(RunRecord) if f.name != "id")


def _utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


def _dumps(value: Any) -> str:
    """Compact JSON that keeps unicode readable (floats round-trip exactly through repr)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store(PairStateMixin, DriveStateMixin, SharingStateMixin, IntakeStateMixin, OwnWritesMixin):
    """Persistent state shared by every replica; thread-safe; database errors raise StoreError."""

    def __init__(self, url: str, *, clock: Callable[[], datetime] = _utcnow, migrate: bool = True) -> None:
        """Open the database at `url` and migrate it to the newest schema.

        `migrate=False` (an in-memory store to read from, nothing to keep): the tables are created from
        app.store.tables, which tests/store/test_migrations.py holds equal to the migrations; no Alembic.
        """
        parsed = normalise_url(url)
        self._secret = parsed.password
        self._clock = clock
        self._pruned_at: datetime | None = None  # when this process last pruned seen_actions
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
                connection, bases, {"pair": pair}, {"document": _dumps(base), "saved_at": self._clock()}
            )
            if changes:
                connection.execute(sa.insert(change_log), [asdict(change) for change in changes])

    def mark_written_actions(self, pair: str, action_ids: Sequence[str]) -> None:
        """Stamp the pair's change-log rows of these action ids as in its Changes tab."""
        query = (
            sa.update(change_log)
            .where(change_log.c.pair == pair, change_log.c.written_at.is_(None))
            .where(change_log.c.action_id.in_(list(action_ids)))
            .values(written_at=self._clock())
        )
        with self._translated(f"mark changes of pair {pair!r} written"), self._engine.begin() as connection:
            connection.execute(query)

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
        document = None if base is None else _dumps(base)
        values = {name: getattr(run, name) for name in _RUN_COLUMNS}
        with self._translated(f"save the run of pair {pair!r}"), self._engine.begin() as connection:
            if document is not None:
                values_base = {"document": document, "saved_at": self._clock()}
                self._upsert(connection, bases, {"pair": pair}, values_base)
            mark_written(connection, pair, written_change_ids, self._clock())
            if run.outcome in SYNCED:
                plans.clear_waiting(connection, pair)
            return _inserted_id(connection.execute(sa.insert(runs).values(**values)))

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
        values = {"document": _dumps(document), "saved_at": self._clock()}
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

    # -- change log ------------------------------------------------------------------------------

    def record_changes(self, changes: Sequence[ChangeRecord]) -> None:
        """Append changes to the change log (one bulk insert)."""
        if not changes:
            return
        with self._translated("record changes"), self._engine.begin() as connection:
            seen.insert_changes(connection, changes)

    def recent_changes(self, pair: str | None = None, limit: int = 50) -> list[ChangeRecord]:
        """The latest changes, newest first, of one pair or of all."""
        columns = [change_log.c[f.name] for f in fields(ChangeRecord)]
        query = sa.select(*columns).order_by(change_log.c.at.desc(), change_log.c.id.desc()).limit(limit)
        if pair is not None:
            query = query.where(change_log.c.pair == pair)
        with self._translated("read the change log"), self._engine.begin() as connection:
            rows = connection.execute(query).mappings().all()
        return [ChangeRecord(**row) for row in rows]

    def unwritten_changes(self, pair: str, limit: int = 500) -> list[PendingChange]:
        """The pair's changes not yet in its Changes tab, oldest first, as (id, change)."""
        with self._translated("read the pending change log"), self._engine.begin() as connection:
            return select_unwritten(connection, pair, limit)

    # -- webhook deduplication -------------------------------------------------------------------

    def mark_action_seen(self, action_id: str) -> bool:
        """True the first time `action_id` is marked, by any replica; False every time after.

        One transaction; ids older than SEEN_ACTIONS_KEPT are pruned in it at most once a minute.
        """
        now = self._clock()
        prune = self._pruned_at is None or now - self._pruned_at >= SEEN_ACTIONS_PRUNE_EVERY
        with self._translated("record a webhook action"):
            try:
                with self._engine.begin() as connection:
                    connection.execute(sa.insert(seen_actions).values(action_id=action_id, seen_at=now))
                    if prune:
                        old = seen_actions.c.seen_at < now - SEEN_ACTIONS_KEPT
                        connection.execute(sa.delete(seen_actions).where(old))
            except sa.exc.IntegrityError:
                return False
        if prune:
            self._pruned_at = now
        return True

    def take_actions(
        self,
        action_ids: Sequence[str],
        changes_for: Callable[[set[str], EchoClaims], Sequence[ChangeRecord]],
    ) -> set[str]:
        """Mark many actions seen and log their changes in ONE transaction; the ids new to every replica.

        `changes_for(new ids, echoes)` gives the change-log rows to insert with them, leaving out the
        echoes it claims of our own writes (noted by any process): when anything fails, no id stays
        marked, no echo claimed and no row logged, so Trello's retry is taken in whole (group commit).
        """
        now = self._clock()
        prune = self._pruned_at is None or now - self._pruned_at >= SEEN_ACTIONS_PRUNE_EVERY
        with self._translated("record webhook actions"), self._engine.begin() as connection:
            new = seen.insert_new(connection, action_ids, now)
            if prune:
                seen.prune_seen(connection, now - SEEN_ACTIONS_KEPT)
                prune_writes(connection, now - OWN_WRITES_KEPT)
            seen.insert_changes(connection, changes_for(new, EchoClaims(connection, now)))
        if prune:
            self._pruned_at = now
        return new

    def forget_action(self, action_id: str) -> None:
        """Un-mark `action_id`, so its next delivery is processed (its changes could not be recorded)."""
        with self._translated("forget a webhook action"), self._engine.begin() as connection:
            connection.execute(sa.delete(seen_actions).where(seen_actions.c.action_id == action_id))

    # -- held plans ------------------------------------------------------------------------------

    def hold_plan(self, pair: str, plan: dict[str, Any], reason: str) -> int:
        """Hold `plan` for approval; the pair's plan still waiting is updated in place and keeps its id."""
        with self._translated(f"hold a plan of pair {pair!r}"), self._engine.begin() as connection:
            return plans.hold(connection, pair, _dumps(plan), reason, self._clock())

    def held_plans(self, pair: str | None = None) -> list[HeldPlan]:
        """Held plans, newest first, approved or not, of one pair or of all."""
        with self._translated("read the held plans"), self._engine.begin() as connection:
            return plans.held(connection, pair)

    def held_plan(self, plan_id: int) -> HeldPlan:
        """One held plan by id; UnknownPlanError when none has it (out-of-range ids included)."""
        if not 1 <= plan_id <= MAX_ID:
            raise UnknownPlanError(plan_id)
        with self._translated(f"read held plan {plan_id}"), self._engine.begin() as connection:
            found = plans.by_id(connection, plan_id)
        if found is None:
            raise UnknownPlanError(plan_id)
        return found

    def approve_plan(self, plan_id: int, approved_by: str) -> HeldPlan:
        """Approve a held plan (approving twice keeps the first approval); UnknownPlanError if none."""
        if not 1 <= plan_id <= MAX_ID:
            raise UnknownPlanError(plan_id)
        with self._translated(f"approve held plan {plan_id}"), self._engine.begin() as connection:
            approved = plans.approve(connection, plan_id, approved_by, self._clock())
        if approved is None:
            raise UnknownPlanError(plan_id)
        return approved

    def deleted_rows_since(self, pair: str, when: datetime) -> bool:
        """Whether a run of the pair that started at or after `when` removed rows (spends an approval)."""
        query = sa.select(runs.c.id).where(
            runs.c.pair == pair, runs.c.started_at >= when, runs.c.rows_removed > 0
        )
        with self._translated("read the run history"), self._engine.begin() as connection:
            return connection.execute(query.limit(1)).first() is not None

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
