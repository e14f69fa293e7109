"""A PostgreSQL session-level advisory lock per pair: the run lease's guard that dies with its holder.

A session-level advisory lock "is held until explicitly released or the session ends"
(https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS): a holder killed with SIGKILL
frees its pair as soon as the server sees its connection close (the kernel closes the socket). A holder
that hangs with its socket open is cut off by idle_session_timeout (PostgreSQL 14+, "terminate any session
that has been idle ... for longer than the specified amount of time",
https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-SESSION-TIMEOUT), as its
heartbeat no longer pings the session. Each lock lives on a
connection of its own, opened for the run and closed after it (no pool: a pooled connection would keep the
lock after being returned, and runs holding pooled connections could starve the store's own queries).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.store.db import translated

__all__ = ["SessionLock", "lock_engine"]


# The key: 64 bits of md5(schema/pair), computed by the server so that every replica of one deployment
# (whatever host name its URL uses) gets the same key, and deployments in other schemas get other keys.
TRY_LOCK = sa.text(
    "SELECT pg_try_advisory_lock(('x' || substr(md5('boardsheet run lease/' || current_schema() || '/' "
    "|| :pair), 1, 16))::bit(64)::bigint)"
)


def lock_engine(engine: sa.Engine) -> sa.Engine:
    """An engine like `engine` that opens a fresh connection per lock and closes it on release."""
    return sa.create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


class SessionLock:
    """One pair's advisory lock on a connection of its own; `take()`, `alive()`, `release()`."""

    def __init__(self, engine: sa.Engine, pair: str, idle_timeout: float) -> None:
        self._engine = engine
        self._idle_ms = max(1000, round(idle_timeout * 1000))
        self._pair = pair
        self._connection: sa.Connection | None = None

    def take(self) -> bool:
        """Try the lock without waiting (pg_try_advisory_lock); True if this session now holds it.

        StoreError when the database cannot be reached.
        """
        with translated(f"take the session lock of pair {self._pair!r}", self._engine.url.password):
            connection = self._engine.connect()
            try:
                taken = bool(connection.execute(TRY_LOCK, {"pair": self._pair}).scalar())
                if taken and (connection.dialect.server_version_info or (0,)) >= (14,):
                    # A holder that hangs (stopped, wedged) stops pinging: the server ends its session
                    # after this long idle, and the lock with it (PostgreSQL 14+, idle_session_timeout).
                    connection.execute(sa.text(f"SET idle_session_timeout = {self._idle_ms}"))
            except BaseException:
                connection.close()
                raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def alive(self) -> bool:
        """Whether the session holding the lock still answers (a lost session has lost the lock)."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def release(self) -> None:
        """Close the session, which ends the lock with it; never raises."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.close()
        except sa.exc.SQLAlchemyError:
            connection.invalidate()
