"""Tab snapshots: zlib-compressed JSON, written only when the tab changed, pruned by age and size."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.store.tables import tab_snapshots

__all__ = ["Retention", "Snapshot", "at_or_after", "at_or_before", "count", "save"]


@dataclass(frozen=True)
class Retention:
    """How long snapshots are kept and how many compressed bytes a pair may hold (the newest always stays)."""

    keep: timedelta = timedelta(days=30)
    max_bytes: int = 50_000_000


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: when it was taken, its digest and its document (see app/core/snapshots.py)."""

    taken_at: datetime
    digest: str
    document: dict[str, Any]


def save(
    connection: sa.Connection,
    pair: str,
    document: dict[str, Any],
    digest: str,
    now: datetime,
    keep: Retention,
) -> bool:
    """Insert the snapshot unless the pair's newest has the same digest, then prune; whether it wrote."""
    newest = connection.execute(
        sa.select(tab_snapshots.c.digest)
        .where(tab_snapshots.c.pair == pair)
        .order_by(tab_snapshots.c.taken_at.desc(), tab_snapshots.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if newest == digest:
        return False
    packed = zlib.compress(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(), 9)
    values = {"pair": pair, "taken_at": now, "digest": digest, "size": len(packed), "document": packed}
    connection.execute(sa.insert(tab_snapshots).values(**values))
    _prune(connection, pair, now - keep.keep, keep.max_bytes)
    return True


def at_or_before(connection: sa.Connection, pair: str, when: datetime | None) -> Snapshot | None:
    """The pair's newest snapshot taken at or before `when` (the newest of all when None)."""
    query = sa.select(tab_snapshots).where(tab_snapshots.c.pair == pair)
    if when is not None:
        query = query.where(tab_snapshots.c.taken_at <= when)
    order = (tab_snapshots.c.taken_at.desc(), tab_snapshots.c.id.desc())
    row = connection.execute(query.order_by(*order).limit(1)).mappings().first()
    if row is None:
        return None
    document: dict[str, Any] = json.loads(zlib.decompress(row["document"]))
    return Snapshot(row["taken_at"], row["digest"], document)


def at_or_after(connection: sa.Connection, pair: str, when: datetime) -> Snapshot | None:
    """The pair's oldest snapshot taken at or after `when` (what the first run since then read)."""
    query = sa.select(tab_snapshots).where(tab_snapshots.c.pair == pair, tab_snapshots.c.taken_at >= when)
    order = (tab_snapshots.c.taken_at.asc(), tab_snapshots.c.id.asc())
    row = connection.execute(query.order_by(*order).limit(1)).mappings().first()
    if row is None:
        return None
    document: dict[str, Any] = json.loads(zlib.decompress(row["document"]))
    return Snapshot(row["taken_at"], row["digest"], document)


def count(connection: sa.Connection, pair: str) -> int:
    """How many snapshots the pair has."""
    query = sa.select(sa.func.count()).select_from(tab_snapshots).where(tab_snapshots.c.pair == pair)
    return int(connection.execute(query).scalar_one())


def _prune(connection: sa.Connection, pair: str, oldest: datetime, max_bytes: int) -> None:
    """Drop the pair's snapshots older than `oldest` or past `max_bytes` (newest first); keep the newest."""
    rows = connection.execute(
        sa.select(tab_snapshots.c.id, tab_snapshots.c.taken_at, tab_snapshots.c.size)
        .where(tab_snapshots.c.pair == pair)
        .order_by(tab_snapshots.c.taken_at.desc(), tab_snapshots.c.id.desc())
    ).all()
    total, doomed = 0, []
    for index, (row_id, taken_at, size) in enumerate(rows):
        total += size
        if index > 0 and (taken_at < oldest or total > max_bytes):
            doomed.append(row_id)
    if doomed:
        connection.execute(sa.delete(tab_snapshots).where(tab_snapshots.c.id.in_(doomed)))
