"""Change-log rows wait for the pair's Changes tab; a run's save marks the ones it wrote, atomically."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from app.errors import StoreError
from app.store.db import alembic_config, create_store_engine, normalise_url
from app.store.store import RunRecord, Store
from tests.support.records import T0, change


def run(pair: str) -> RunRecord:
    """A successful run of `pair`."""
    return RunRecord(pair, T0, T0 + timedelta(seconds=5), "ok")


def test_unwritten_changes_are_the_pairs_oldest_first_with_ids(store: Store) -> None:
    first = change("p", 1, before="=1+1", after=None)
    store.record_changes([change("p", 3), change("q", 1), first, change("p", 2, "Name")])
    pending = store.unwritten_changes("p")
    assert [(c.at.minute, c.field) for _, c in pending] == [(1, "Due"), (2, "Name"), (3, "Due")]
    assert len({change_id for change_id, _ in pending}) == 3
    assert pending[0][1] == first  # every field round-trips, None included
    assert [c.at.minute for _, c in store.unwritten_changes("p", limit=2)] == [1, 2]


def test_save_run_marks_exactly_the_written_rows(store: Store) -> None:
    store.record_changes([change("p", 1), change("p", 2)])
    (first, _second) = store.unwritten_changes("p")
    store.record_changes([change("p", 3)])  # arrives after the run read the pending rows
    store.save_run("p", {"k": {"A": 1}}, run("p"), written_change_ids=[first[0]])
    assert [c.at.minute for _, c in store.unwritten_changes("p")] == [2, 3]
    assert len(store.runs("p")) == 1 and store.load_base("p") == {"k": {"A": 1}}
    # The change log keeps every row whether written or not.
    assert len(store.recent_changes("p")) == 3


def test_ids_of_another_pair_are_not_marked(store: Store) -> None:
    store.record_changes([change("q", 1)])
    ((other_id, _),) = store.unwritten_changes("q")
    store.save_run("p", None, run("p"), written_change_ids=[other_id])
    assert len(store.unwritten_changes("q")) == 1


def test_existing_callers_mark_nothing(store: Store) -> None:
    store.record_changes([change("p", 1)])
    store.save_run("p", None, run("p"))
    assert len(store.unwritten_changes("p")) == 1


def test_a_failed_save_marks_nothing(store: Store) -> None:
    store.record_changes([change("p", 1)])
    ((change_id, _),) = store.unwritten_changes("p")
    naive = RunRecord("p", datetime(2026, 3, 1), datetime(2026, 3, 1), "ok")  # refused: naive datetimes
    with pytest.raises((StoreError, ValueError)):
        store.save_run("p", {"k": {}}, naive, written_change_ids=[change_id])
    assert [i for i, _ in store.unwritten_changes("p")] == [change_id]
    assert store.load_base("p") is None


def test_many_ids_are_marked_in_one_save(store: Store) -> None:
    store.record_changes([change("p", minute) for minute in range(1200)])
    ids = [change_id for change_id, _ in store.unwritten_changes("p", limit=5000)]
    store.save_run("p", None, run("p"), written_change_ids=ids)
    assert store.unwritten_changes("p") == []


def test_changes_logged_before_the_upgrade_are_pending_after_it(store_url: str) -> None:
    engine = create_store_engine(normalise_url(store_url))
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            connection.execute(
                sa.text(
                    "INSERT INTO changes (at, pair, board_id, action_id, action_type, member, card_id,"
                    " card_name, field) VALUES (:at, 'p', 'b', 'a', 't', 'm', 'c', 'n', 'due')"
                ),
                {"at": T0.replace(tzinfo=None) if engine.dialect.name == "sqlite" else T0},
            )
    finally:
        engine.dispose()
    with Store(store_url) as upgraded:
        assert [c.card_id for _, c in upgraded.unwritten_changes("p")] == ["c"]


def test_downgrade_to_0001_drops_the_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    Store(url).close()
    engine = create_store_engine(normalise_url(url))
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        columns = {column["name"] for column in sa.inspect(engine).get_columns("changes")}
    finally:
        engine.dispose()
    assert "written_at" not in columns and "after" in columns
