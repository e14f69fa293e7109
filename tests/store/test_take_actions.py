"""Webhook group commit in the store: many actions marked seen and logged in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

import pytest

from app.errors import StoreError
from app.store.echoes import EchoClaims
from app.store.store import ChangeRecord, Store
from tests.support.records import change


def _rows(*ids: str) -> list[ChangeRecord]:
    """One change-log row per action id."""
    return [change("social", n, field=f"F{action}") for n, action in enumerate(ids)]


def test_only_ids_new_to_the_store_are_returned_and_logged(store: Store) -> None:
    assert store.mark_action_seen("old")
    asked: list[set[str]] = []

    def changes_for(new: set[str], echoes: EchoClaims) -> Sequence[ChangeRecord]:
        asked.append(new)
        return _rows(*sorted(new))

    assert store.take_actions(["old", "a1", "a2"], changes_for) == {"a1", "a2"}
    assert asked == [{"a1", "a2"}]
    assert sorted(c.field for c in store.recent_changes()) == ["Fa1", "Fa2"]
    assert store.take_actions(["a1", "a3"], lambda new, echoes: []) == {"a3"}
    assert not store.mark_action_seen("a3")  # the single-action path sees the batch's marks


def test_a_failure_inside_the_transaction_marks_nothing_and_logs_nothing(store: Store) -> None:
    def refused(new: set[str], echoes: EchoClaims) -> Sequence[ChangeRecord]:
        raise RuntimeError("computing the rows failed")

    with pytest.raises(RuntimeError):
        store.take_actions(["b1", "b2"], refused)
    assert store.take_actions(["b1", "b2"], lambda new, echoes: _rows(*sorted(new))) == {"b1", "b2"}
    bad = replace(change("social", 9), card_id=None)  # type: ignore[arg-type]  # the schema refuses it
    with pytest.raises(StoreError):
        store.take_actions(["b3"], lambda new, echoes: [bad])
    assert store.take_actions(["b3"], lambda new, echoes: []) == {"b3"}  # Trello's retry is taken
    assert sorted(c.field for c in store.recent_changes()) == ["Fb1", "Fb2"]


def test_replicas_batching_the_same_actions_take_each_once(store_url: str, store: Store) -> None:
    with Store(store_url) as replica:
        barrier = threading.Barrier(4)
        taken: list[set[str]] = []

        def deliver(target: Store) -> None:
            barrier.wait()
            taken.append(target.take_actions([f"r{n}" for n in range(20)], lambda new, echoes: _rows(*new)))

        threads = [threading.Thread(target=deliver, args=(s,)) for s in [store, replica] * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    every = [action for batch in taken for action in batch]
    assert sorted(every) == sorted(f"r{n}" for n in range(20))  # each action taken by one delivery
    assert len(store.recent_changes(limit=100)) == 20
