"""Alembic environment: migrates the connection `app.store.db` hands over (or the configured URL)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from app.store.tables import metadata


def run_migrations(connection: sa.Connection) -> None:
    """Run the pending revisions on `connection`, inside its transaction when it has one."""
    # Batch mode lets later revisions ALTER tables on SQLite (it copies the table).
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Migrate the shared connection, or open one from `sqlalchemy.url` (the `alembic` command line)."""
    connection = context.config.attributes.get("connection")
    if isinstance(connection, sa.Connection):
        run_migrations(connection)
        return
    from app.store.db import create_store_engine, normalise_url

    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url (or pass a connection) to run the migrations")
    engine = create_store_engine(normalise_url(url))
    try:
        with engine.begin() as own:
            run_migrations(own)
    finally:
        engine.dispose()


main()
