"""Tab snapshots in the store: written only on change, found by time, pruned by age and by size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.snapshots import digest
from app.store.snapshots import Retention
from app.store.store import Store
from tests.support.clock import FakeClock

KEEP = Retention()
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _document(text: str) -> dict[str, Any]:
    return {"sheet_id": 0, "title": "Calendar", "rows": [[{"stringValue": "Title"}], [{"stringValue": text}]]}


def _save(store: Store, pair: str, text: str, retention: Retention = KEEP) -> bool:
    document = _document(text)
    return store.save_snapshot(pair, document, digest(document), retention)


def _fresh(url: str, clock: FakeClock) -> Store:
    return Store(url, clock=clock.datetime)


def test_an_unchanged_tab_is_not_written_again_and_a_time_finds_the_newest_before(
    store_url: str,
) -> None:
    clock = FakeClock(START.timestamp())
    with _fresh(store_url, clock) as store:
        assert _save(store, "p", "a")
        clock.advance(timedelta(hours=1))
        assert not _save(store, "p", "a")  # same values: no write
        clock.advance(timedelta(hours=1))
        assert _save(store, "p", "b")
        assert store.snapshot_count("p") == 2
        found = store.snapshot_at("p", START + timedelta(minutes=90))
        assert found is not None and found.document == _document("a") and found.taken_at == START
        newest = store.snapshot_at("p")
        assert newest is not None and newest.document == _document("b")
        assert store.snapshot_at("p", START - timedelta(seconds=1)) is None
        assert store.snapshot_at("other") is None


def test_snapshots_older_than_the_retention_are_pruned_but_the_newest_stays(store_url: str) -> None:
    clock, keep = FakeClock(START.timestamp()), Retention(timedelta(days=30), 10**9)
    with _fresh(store_url, clock) as store:
        _save(store, "p", "day 0", keep)
        clock.advance(timedelta(days=10))
        _save(store, "p", "day 10", keep)
        _save(store, "q", "other pair", keep)
        clock.advance(timedelta(days=30))
        _save(store, "p", "day 40", keep)
        assert store.snapshot_count("p") == 2
        oldest = store.snapshot_at("p", START + timedelta(days=20))
        assert oldest is not None and oldest.document == _document("day 10")
        assert store.snapshot_count("q") == 1  # another pair's snapshots are its own business


def test_the_size_bound_keeps_the_newest_snapshots_that_fit(store_url: str) -> None:
    clock = FakeClock(START.timestamp())
    with _fresh(store_url, clock) as store:
        for index in range(5):
            clock.advance(timedelta(minutes=1))
            _save(store, "p", f"version {index}", Retention(timedelta(days=30), 1))
        assert store.snapshot_count("p") == 1
        newest = store.snapshot_at("p")
        assert newest is not None and newest.document == _document("version 4")
