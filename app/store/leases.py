"""Per-pair run leases: the queries behind Store.acquire_lease and Store.release_lease.

A run holds its pair's lease from before its reads until after its run is saved, so two processes sharing
the store (replicas, or `boardsheet sync` beside the service) never plan from the same read and both write.
A lease lapses at `expires_at`, so a crashed holder blocks its pair for one TTL at most.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.store.tables import run_leases

__all__ = ["acquire", "release"]


def acquire(connection: sa.Connection, pair: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Give `holder` the pair's lease until now + ttl unless another holds a live one; True if taken."""
    values = {"holder": holder, "expires_at": now + ttl}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # One statement: insert, or take over a lapsed lease (or renew our own). A live lease of another holder
    # fails the WHERE, so the upsert changes no row and RETURNING hands back none. PostgreSQL settles
    # racing inserts of one key by its unique index; SQLite transactions here begin IMMEDIATE.
    takeable = sa.or_(run_leases.c.expires_at <= now, run_leases.c.holder == holder)
    upsert = (
        dialect.insert(run_leases)
        .values(pair=pair, **values)
        .on_conflict_do_update(index_elements=["pair"], set_=values, where=takeable)
        .returning(run_leases.c.holder)
    )
    return connection.execute(upsert).first() is not None


def release(connection: sa.Connection, pair: str, holder: str) -> None:
    """Delete the pair's lease if `holder` still holds it (a lease taken over by another is left alone)."""
    connection.execute(sa.delete(run_leases).where(run_leases.c.pair == pair, run_leases.c.holder == holder))
