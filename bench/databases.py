"""The store the soak's and the scale bench's replicas share: a fresh PostgreSQL schema, else SQLite."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

DATABASE_ENV = ("BOARDSHEET_SOAK_DATABASE_URL", "BOARDSHEET_TEST_DATABASE_URL")


def database_server() -> str | None:
    """The PostgreSQL server URL the first set variable of DATABASE_ENV names, or None."""
    return next((os.environ[name] for name in DATABASE_ENV if os.environ.get(name)), None)


def store_name(url: str) -> str:
    """The store's kind, for a report: "PostgreSQL" or "SQLite"."""
    return "PostgreSQL" if sa.make_url(url).get_backend_name() == "postgresql" else "SQLite"


@contextmanager
def database(directory: Path, server_url: str | None, prefix: str) -> Iterator[str]:
    """The store's URL: a fresh schema `prefix_...` on `server_url` (dropped afterwards), else SQLite."""
    if not server_url:
        yield f"sqlite:///{directory / 'boardsheet.db'}"
        return
    url = sa.make_url(server_url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
