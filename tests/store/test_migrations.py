"""Alembic migrations: Store() upgrades to head, idempotently, even with replicas starting at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.errors import StoreError
from app.store.db import MIGRATIONS, alembic_config, normalise_url
from app.store.store import RunRecord, Store
from app.store.tables import metadata
from tests.support.paths import ROOT


def head() -> str | None:
    """The newest revision shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(store: Store) -> str | None:
    """The revision the store's database is at."""
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrations_ship_inside_the_package() -> None:
    assert ROOT / "app" / "store" / "migrations" == MIGRATIONS
    assert (MIGRATIONS / "env.py").is_file()
    assert head() == "0014_own_writes"


def test_a_new_store_is_at_head_and_matches_the_tables(store: Store) -> None:
    assert current(store) == head()
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_reopening_keeps_data_and_schema(store_url: str, store: Store) -> None:
    now = datetime.now(UTC)
    store.save_run("p", {"k": {"A": 1}}, RunRecord("p", now, now, "ok"))
    store.close()
    with Store(store_url) as again, Store(store_url) as third:
        assert current(third) == head()
        assert again.load_base("p") == {"k": {"A": 1}}
        assert len(third.runs("p")) == 1


def test_replicas_starting_at_once_all_come_up(store_url: str) -> None:
    barrier = threading.Barrier(4)
    opened: list[Store] = []
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            opened.append(Store(store_url))
        except BaseException as exc:  # collected: the assertion below names it
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        assert len(opened) == 4
        with opened[0].engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        assert [v[0] for v in versions] == [head()]
    finally:
        for store in opened:
            store.close()


def test_a_database_from_newer_code_is_refused_clearly(store_url: str, store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="could not open the database"):
        Store(store_url)


def test_an_unusable_sqlite_path_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="could not open the database"):
        Store(f"sqlite:///{blocker / 'state' / 'boardsheet.db'}")


def test_urls_are_normalised() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    bare = normalise_url("/data/boardsheet.db")
    assert (bare.drivername, bare.database) == ("sqlite", "/data/boardsheet.db")
