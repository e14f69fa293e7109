"""Store fixtures: `store_url` runs each store test on a SQLite file and, when configured, on PostgreSQL.

The PostgreSQL variant is marked `postgres` and `http` (a socket) and needs BOARDSHEET_TEST_DATABASE_URL, a
server URL (each test gets its own schema there); without it the variant is skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.store.db import normalise_url
from app.store.store import Store

POSTGRES_ENV = "BOARDSHEET_TEST_DATABASE_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.http])])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL nobody else uses: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state' / 'boardsheet.db'}"
        return
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to run the PostgreSQL variant against")
    yield from _postgres_schema(server_url)


def _postgres_schema(server_url: str) -> Iterator[str]:
    """Create a schema for one test, hand out a URL whose search_path is that schema, then drop it."""
    url = normalise_url(server_url)
    schema = f"test_{uuid.uuid4().hex}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        isolated = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield isolated.render_as_string(hide_password=False)
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    with Store(store_url) as opened:
        yield opened
