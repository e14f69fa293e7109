"""Per-pair run leases: the queries behind Store.acquire_lease, renew_lease and release_lease.

A run holds its pair's lease from before its reads until after its run is saved, so two processes sharing
the store (replicas, or `boardsheet sync` beside the service) never plan from the same read and both write.
The holder renews it by a heartbeat while the run lasts; a lease lapses at `expires_at` (a short TTL), and
a holder the caller knows is dead (its process gone, or its PostgreSQL session lock released) is taken
over at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.store.db import upsert_into
from app.store.tables import run_leases

__all__ = ["acquire", "release", "renew"]

Judge = Callable[[str], bool]  # holder name -> True when that holder surely no longer runs


def _never(_holder: str) -> bool:
    return False


def acquire(
    connection: sa.Connection,
    pair: str,
    holder: str,
    now: datetime,
    ttl: timedelta,
    dead: Judge = _never,
) -> bool:
    """Give `holder` the pair's lease until now + ttl unless another live holder has it; True if taken."""
    values = {"holder": holder, "expires_at": now + ttl}
    # One statement: insert, or take over a lapsed lease (or renew our own). A live lease of another holder
    # fails the WHERE, so the upsert changes no row and RETURNING hands back none. PostgreSQL settles
    # racing inserts of one key by its unique index; SQLite transactions here begin IMMEDIATE.
    takeable = sa.or_(run_leases.c.expires_at <= now, run_leases.c.holder == holder)
    current = connection.execute(sa.select(run_leases.c.holder).where(run_leases.c.pair == pair)).scalar()
    if current is not None and current != holder and dead(current):
        # Compare-and-swap on the dead holder's name: a racer that took it over first makes this miss.
        takeable = sa.or_(takeable, run_leases.c.holder == current)
    upsert = (
        upsert_into(connection, run_leases)
        .values(pair=pair, **values)
        .on_conflict_do_update(index_elements=["pair"], set_=values, where=takeable)
        .returning(run_leases.c.holder)
    )
    return connection.execute(upsert).first() is not None


def renew(connection: sa.Connection, pair: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Push the lease's expiry to now + ttl if `holder` still holds it; False once it was taken over."""
    update = (
        sa.update(run_leases)
        .where(run_leases.c.pair == pair, run_leases.c.holder == holder)
        .values(expires_at=now + ttl)
    )
    return connection.execute(update).rowcount == 1


def release(connection: sa.Connection, pair: str, holder: str) -> None:
    """Delete the pair's lease if `holder` still holds it (a lease taken over by another is left alone)."""
    connection.execute(sa.delete(run_leases).where(run_leases.c.pair == pair, run_leases.c.holder == holder))
