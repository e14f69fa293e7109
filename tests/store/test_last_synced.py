"""The store says when a pair's latest successful run started, whichever process ran it."""

from __future__ import annotations

from datetime import timedelta

from app.core.records import Outcome
from app.store.store import RunRecord, Store
from tests.support.records import T0


def save(store: Store, pair: str, minute: int, outcome: Outcome) -> None:
    started = T0 + timedelta(minutes=minute)
    store.save_run(pair, None, RunRecord(pair, started, started + timedelta(seconds=5), outcome))


def test_the_latest_ok_or_noop_start_of_that_pair_only(store: Store) -> None:
    assert store.last_synced_start("p") is None
    save(store, "p", 0, "ok")
    save(store, "p", 5, "noop")
    save(store, "p", 9, "failed")  # later, but it did not leave the pair in sync
    save(store, "p", 10, "held")
    save(store, "q", 20, "ok")  # another pair's
    assert store.last_synced_start("p") == T0 + timedelta(minutes=5)
