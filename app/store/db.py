"""The state store's database plumbing: URLs, a thread-safe engine, migrations, error translation."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from app.errors import StoreError
from app.store.revisions import head_revisions, stored_revisions

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
BUSY_TIMEOUT_SECONDS = 30.0
# Any fixed 64-bit number: every replica takes the same PostgreSQL advisory lock around the upgrade.
MIGRATION_LOCK_KEY = 0x626F617264736874


def normalise_url(url: str) -> sa.URL:
    """Parse a database URL; a bare path means a SQLite file, plain postgresql:// means psycopg 3."""
    if "://" not in url:
        return sa.URL.create("sqlite", database=url)
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: sa.URL) -> sa.Engine:
    """A thread-safe engine: SQLite in WAL mode with a busy timeout, PostgreSQL with pre-ping."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    """SQLite shared by threads; every transaction starts with BEGIN IMMEDIATE to avoid lock upgrades."""
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
    }
    if url.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one shared connection, or every thread sees its own database
    else:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)
    sa.event.listen(engine, "connect", _sqlite_on_connect)
    sa.event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas, and take transaction control away from pysqlite (SQLAlchemy's recipe)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _set_wal(cursor: Any) -> None:
    """Switch to WAL, waiting out another connection doing the same: replicas opening a fresh file at
    once race for the exclusive lock the switch needs, and SQLite answers "database is locked" at once
    there instead of calling the busy handler (https://sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_on_begin(connection: sa.Connection) -> None:
    """Take the write lock up front: a deferred BEGIN can deadlock two writers past the busy timeout."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def upsert_into(connection: sa.Connection, table: sa.Table) -> Any:
    """`INSERT INTO table` in the connection's dialect, with its `on_conflict_do_update` (PostgreSQL or
    SQLite); only that dialect's module is imported (PostgreSQL's costs a SQLite command ~60 ms)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


class MigrationFailed(Exception):
    """Alembic refused to migrate (its CommandError, caught where Alembic is imported)."""


def alembic_config() -> Config:
    """The Alembic configuration, built in code from the packaged migrations directory."""
    from alembic.config import Config  # ~0.4 s of imports, paid only when a migration is due

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def upgrade_to_head(engine: sa.Engine) -> None:
    """Migrate to the newest revision in one transaction; concurrent replicas wait for each other.

    A database already at the newest revision (every run but the first after an upgrade) is only read:
    Alembic is not even imported.
    """
    with engine.connect() as connection:
        if stored_revisions(connection) == head_revisions(MIGRATIONS / "versions"):
            return
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise MigrationFailed(str(exc)) from exc


@contextmanager
def translated(action: str, secret: str | None = None) -> Iterator[None]:
    """Turn database and migration errors into StoreError, naming the action but never the password."""
    try:
        yield
    except (sa.exc.SQLAlchemyError, MigrationFailed, OSError) as exc:
        raise StoreError(describe(action, exc, secret)) from exc


def describe(action: str, exc: BaseException, secret: str | None) -> str:
    """A one-line message: the action and the driver's first line (SQL and parameters left out)."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    detail = lines[0] if lines else ""
    if secret:
        detail = detail.replace(secret, "***")
    return f"state store: could not {action}: {type(cause).__name__}: {detail}"[:500]
