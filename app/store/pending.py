"""Change-log rows waiting for the pair's Changes tab: the queries behind Store's pending-rows methods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime

import sqlalchemy as sa

from app.core.records import ChangeRecord
from app.store.tables import changes as change_log

PendingChange = tuple[int, ChangeRecord]  # (change-log row id, the change)
# Bound parameters per UPDATE stay far below SQLite's and PostgreSQL's limits.
MARK_CHUNK = 500


def select_unwritten(connection: sa.Connection, pair: str, limit: int) -> list[PendingChange]:
    """The pair's changes no run has written yet, oldest first, with their row ids."""
    columns = [change_log.c[f.name] for f in fields(ChangeRecord)]
    query = (
        sa.select(change_log.c.id, *columns)
        .where(change_log.c.pair == pair, change_log.c.written_at.is_(None))
        .order_by(change_log.c.at, change_log.c.id)
        .limit(limit)
    )
    rows = connection.execute(query).mappings().all()
    return [(int(row["id"]), ChangeRecord(**{k: v for k, v in row.items() if k != "id"})) for row in rows]


def mark_written(connection: sa.Connection, pair: str, ids: Sequence[int], now: datetime) -> None:
    """Stamp these rows of the pair as written (rows already stamped keep their first stamp)."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), MARK_CHUNK):
        chunk = wanted[start : start + MARK_CHUNK]
        connection.execute(
            sa.update(change_log)
            .where(
                change_log.c.pair == pair,
                change_log.c.written_at.is_(None),
                change_log.c.id.in_(chunk),
            )
            .values(written_at=now)
        )
