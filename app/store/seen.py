"""Seen Trello actions, many at once: the queries behind `Store.take_actions` (webhook group commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.core.records import ChangeRecord
from app.store.db import upsert_into
from app.store.tables import changes as change_log
from app.store.tables import seen_actions

__all__ = ["insert_changes", "insert_new", "prune_seen"]

_CHANGE_FIELDS = tuple(f.name for f in fields(ChangeRecord))


def insert_new(connection: sa.Connection, action_ids: Sequence[str], now: datetime) -> set[str]:
    """Mark `action_ids` seen; the ones no replica had marked before (the others are left as they are).

    One INSERT ... ON CONFLICT DO NOTHING RETURNING: the unique key decides between replicas, in the
    caller's transaction (SQLite ≥ 3.35 and PostgreSQL both return only the rows inserted).
    """
    if not action_ids:
        return set()
    statement = (
        upsert_into(connection, seen_actions).on_conflict_do_nothing(index_elements=["action_id"])
        .returning(seen_actions.c.action_id)
    )  # fmt: skip
    # Inserted in one order everywhere: two transactions marking overlapping ids (a run's read and a batch
    # of webhooks, on two replicas) then wait on each other instead of deadlocking on PostgreSQL.
    ordered = sorted(set(action_ids))
    rows = connection.execute(statement, [{"action_id": a, "seen_at": now} for a in ordered])
    return {row[0] for row in rows}


def prune_seen(connection: sa.Connection, before: datetime) -> None:
    """Forget action ids seen before `before` (Trello stops retrying long before)."""
    connection.execute(sa.delete(seen_actions).where(seen_actions.c.seen_at < before))


def insert_changes(connection: sa.Connection, changes: Sequence[ChangeRecord]) -> None:
    """Append `changes` to the change log in one executemany (no dataclasses.asdict: it deep-copies)."""
    if changes:
        rows: list[dict[str, Any]] = [{f: getattr(c, f) for f in _CHANGE_FIELDS} for c in changes]
        connection.execute(sa.insert(change_log), rows)
