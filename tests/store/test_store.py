"""The state store keeps bases, runs, the change log, seen actions, held plans and pause flags."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event as sa_event

from app.core.protections import Access, Protection, grid_range
from app.errors import StoreError, UnknownPlanError
from app.store.store import PairFlags, RunRecord, Store
from tests.support.clock import FakeClock
from tests.support.records import T0, change


def run(pair: str, minute: int, outcome: Any = "ok", **counts: int) -> RunRecord:
    """A run of `pair` that started `minute` minutes after T0 and lasted 30 seconds."""
    started = T0 + timedelta(minutes=minute)
    return RunRecord(pair, started, started + timedelta(seconds=30), outcome, **counts)


BASE: dict[str, dict[str, Any]] = {
    "abc123": {"Title": "Launch post 🚀", "Points": 3.25, "Done": True, "Due": None, "Count": 7},
    "def456": {"Title": "=SUM(A1:A2) +1 -2 @me", "Points": 0.1, "Done": False, "Due": "2026-03-01"},
    "rtl": {"Title": "مرحبا بالعالم", "Notes": 'line 1\nline 2\t"quoted"', "Long": "x" * 60_000},
}


def test_base_round_trips_values_and_types(store: Store) -> None:
    store.save_run("p", BASE, run("p", 0))
    loaded = store.load_base("p")
    assert loaded == BASE
    assert loaded is not None
    # 1 == True in Python: check the types survived, not just equality.
    assert type(loaded["abc123"]["Done"]) is bool
    assert type(loaded["abc123"]["Points"]) is float
    assert type(loaded["abc123"]["Count"]) is int


def test_base_is_none_until_saved_and_empty_base_is_kept(store: Store) -> None:
    assert store.load_base("p") is None
    store.save_run("p", {}, run("p", 0))
    assert store.load_base("p") == {}


def test_save_run_replaces_the_base_of_its_pair_only(store: Store) -> None:
    store.save_run("p", BASE, run("p", 0))
    store.save_run("q", {"k": {"A": "q"}}, run("q", 0))
    store.save_run("p", {"abc123": {"Title": "renamed"}}, run("p", 1))
    assert store.load_base("p") == {"abc123": {"Title": "renamed"}}
    assert store.load_base("q") == {"k": {"A": "q"}}


def test_save_run_without_base_keeps_the_base(store: Store) -> None:
    store.save_run("p", BASE, run("p", 0))
    store.save_run("p", None, run("p", 1, "failed"))
    assert store.load_base("p") == BASE
    assert [r.outcome for r in store.runs("p")] == ["failed", "ok"]


@pytest.mark.parametrize(
    "bad_run",
    [
        run("p", 1, "bogus"),  # refused by the database's CHECK constraint, after the base was written
        RunRecord("p", datetime(2026, 3, 1), T0, "ok"),  # naive datetime, refused while binding
    ],
    ids=["check-constraint", "naive-datetime"],
)
def test_a_failing_save_run_leaves_the_old_base_and_history(store: Store, bad_run: RunRecord) -> None:
    first_id = store.save_run("p", BASE, run("p", 0))
    with pytest.raises(StoreError, match="could not save the run of pair 'p'"):
        store.save_run("p", {"new": {"Title": "x"}}, bad_run)
    assert store.load_base("p") == BASE
    assert [r.id for r in store.runs("p")] == [first_id]


def test_save_run_refuses_a_run_of_another_pair(store: Store) -> None:
    with pytest.raises(ValueError, match="run of pair 'q'"):
        store.save_run("p", BASE, run("q", 0))
    assert store.load_base("p") is None


def test_runs_newest_first_with_limit_and_pair_filter(store: Store) -> None:
    ids = [store.save_run(pair, None, run(pair, minute)) for minute, pair in enumerate("pqpqp")]
    assert len(set(ids)) == 5
    assert [r.id for r in store.runs()] == ids[::-1]
    assert [r.id for r in store.runs("p")] == [ids[4], ids[2], ids[0]]
    assert [r.id for r in store.runs("p", limit=2)] == [ids[4], ids[2]]
    assert store.runs("nobody") == []


def test_runs_keep_counts_message_and_utc_times(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    started = datetime(2026, 3, 1, 13, 0, 0, 500, tzinfo=paris)
    record = RunRecord(
        "p", started, started + timedelta(seconds=2), "held", "held: 12 deletes > 5",
        rows_added=1, rows_removed=12, cells_changed=30, trello_requests=1, sheets_reads=1, sheets_writes=0,
    )  # fmt: skip
    run_id = store.save_run("p", None, record)
    [loaded] = store.runs("p")
    assert loaded == RunRecord(**{**record.__dict__, "id": run_id})
    assert loaded.started_at.tzinfo == UTC
    assert loaded.started_at == datetime(2026, 3, 1, 12, 0, 0, 500, tzinfo=UTC)


def test_change_log_newest_first(store: Store) -> None:
    store.record_changes(
        [change("p", 0), change("q", 1), change("p", 2, "Name", before=None, after="Ünïcode ✓")]
    )
    store.record_changes([])
    recent = store.recent_changes()
    assert [(c.pair, c.field) for c in recent] == [("p", "Name"), ("q", "Due"), ("p", "Due")]
    assert recent[0] == change("p", 2, "Name", before=None, after="Ünïcode ✓")
    assert [c.at for c in store.recent_changes("p")] == [T0 + timedelta(minutes=2), T0]
    assert len(store.recent_changes(limit=1)) == 1


def test_an_action_is_seen_once(store: Store) -> None:
    assert store.mark_action_seen("action-1") is True
    assert store.mark_action_seen("action-1") is False
    assert store.mark_action_seen("action-2") is True


def test_concurrent_replicas_see_an_action_exactly_once(store_url: str, store: Store) -> None:
    with Store(store_url) as replica:
        barrier = threading.Barrier(8)
        results: list[bool] = []

        def deliver(target: Store) -> None:
            barrier.wait()
            results.append(target.mark_action_seen("raced"))

        threads = [threading.Thread(target=deliver, args=(s,)) for s in [store, replica] * 4]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_seen_actions_are_forgotten_after_a_few_days(store_url: str) -> None:
    clock = FakeClock(T0.timestamp())
    with Store(store_url, clock=clock.datetime) as store:
        assert store.mark_action_seen("old") is True
        clock.advance(timedelta(days=1))
        assert store.mark_action_seen("recent") is True
        clock.advance(timedelta(days=3))  # T0 + 4 days
        assert store.mark_action_seen("new") is True  # prunes "old", keeps "recent"
        assert store.mark_action_seen("recent") is False
        assert store.mark_action_seen("old") is True


def test_held_plan_is_approved_once(store: Store) -> None:
    plan = {"delete": ["k1", "k2"], "note": "élan", "cells": [{"row": 2, "value": 1.5}]}
    plan_id = store.hold_plan("p", plan, "12 deletes > max_deletes 5")
    [held] = store.held_plans("p")
    assert (held.id, held.pair, held.plan, held.reason) == (plan_id, "p", plan, "12 deletes > max_deletes 5")
    assert held.approved_at is None
    assert held.approved_by is None
    approved = store.approve_plan(plan_id, "alice")
    assert approved.approved_by == "alice"
    assert approved.approved_at is not None
    assert approved.approved_at.tzinfo == UTC
    assert store.approve_plan(plan_id, "bob") == approved
    assert store.held_plans("p") == [approved]


def test_a_new_hold_replaces_the_pending_plan_but_not_approved_ones(store: Store) -> None:
    approved_id = store.hold_plan("p", {"n": 1}, "first")
    store.approve_plan(approved_id, "alice")
    store.hold_plan("p", {"n": 2}, "second")
    newest = store.hold_plan("p", {"n": 3}, "third")
    other = store.hold_plan("q", {"n": 4}, "other pair")
    assert [h.id for h in store.held_plans("p")] == [newest, approved_id]
    assert [h.id for h in store.held_plans()] == [other, newest, approved_id]


def test_a_re_held_plan_keeps_its_id_so_the_one_an_operator_read_can_be_approved(store: Store) -> None:
    first = store.hold_plan("p", {"n": 1}, "held at 12:00")
    again = store.hold_plan("p", {"n": 2}, "held again by the 12:05 reconcile")
    assert again == first
    approved = store.approve_plan(first, "alice")
    assert approved.plan == {"n": 2} and approved.reason == "held again by the 12:05 reconcile"


def test_an_approval_is_spent_by_the_first_run_deleting_rows_after_it(store: Store) -> None:
    from app.runtime.approval import approved_deletes

    plan_id = store.hold_plan("p", {"deletes": [{"key": "k1"}, {"key": "k2"}]}, "mass delete")
    assert not approved_deletes(store, "p", ["k1"])
    approved_at = store.approve_plan(plan_id, "alice").approved_at
    assert approved_at is not None
    assert approved_deletes(store, "p", ["k1", "k2"])
    assert not approved_deletes(store, "p", ["k1", "k3"])  # not what was approved
    minutes = int((approved_at - T0).total_seconds() // 60) + 1
    store.save_run("p", None, run("p", minutes, rows_removed=2))
    for later in range(1, 30):  # however many quiet runs follow, the approval stays spent
        store.save_run("p", None, run("p", minutes + later, outcome="noop"))
    assert not approved_deletes(store, "p", ["k1", "k2"])


def test_approving_an_unknown_plan_says_so(store: Store) -> None:
    with pytest.raises(UnknownPlanError, match="no held plan has the id 999"):
        store.approve_plan(999, "alice")


def test_pause_flag_is_shared_between_replicas(store_url: str, store: Store) -> None:
    assert store.paused("p") is False
    store.set_paused("p", True)
    store.set_paused("p", True)
    with Store(store_url) as replica:
        assert replica.paused("p") is True
        assert replica.paused("q") is False
        replica.set_paused("p", False)
    assert store.paused("p") is False


@pytest.mark.slow
def test_the_protections_a_run_left_are_shared_between_processes(store_url: str, store: Store) -> None:
    lock = Protection(
        "boardsheet: Title (editable by chief)",
        grid_range(7, startRowIndex=1, startColumnIndex=1, endColumnIndex=2),
        Access(frozenset({"bot@x.iam", "chief@x.org"}), frozenset({"ideas@x.org"}), True),
        warning=False,
    )
    warn = Protection("boardsheet: Card ID (written by boardsheet)", grid_range(0), Access(), warning=True)
    assert store.protections_left("p") == ()
    store.save_protections("p", [lock, warn])
    with Store(store_url) as other:  # another process: a CLI run, a restarted service, a replica
        assert other.protections_left("p") == (lock, warn)
        assert other.protections_left("q") == ()
        other.save_protections("p", [])
    assert store.protections_left("p") == ()


def test_a_5000_key_base_saves_and_loads(store: Store) -> None:
    base = {
        f"card{i:05d}": {
            "Title": f"Post {i} ✨",
            "List": ["Ideas", "Doing", "Done"][i % 3],
            "Due": None if i % 7 == 0 else f"2026-03-{1 + i % 28:02d}",
            "Points": i / 4,
            "Done": i % 2 == 0,
            **{f"Field {n}": f"value {n}-{i}" for n in range(8)},
        }
        for i in range(5000)
    }
    store.save_run("big", base, run("big", 0))
    assert store.load_base("big") == base
    del base["card00000"]
    base["card00001"]["Title"] = "changed"
    store.save_run("big", base, run("big", 1))
    assert store.load_base("big") == base


@pytest.mark.http
def test_ping_and_unreachable_database(store: Store) -> None:
    store.ping()
    with pytest.raises(StoreError, match="could not open the database") as caught:
        Store("postgresql://boardsheet:s3cr3t-pw@127.0.0.1:1/nowhere")
    assert "s3cr3t-pw" not in str(caught.value)
    assert caught.value.__cause__ is not None


def test_a_forgotten_action_is_new_again(store: Store) -> None:
    assert store.mark_action_seen("act-1")
    store.forget_action("act-1")
    assert store.mark_action_seen("act-1")
    assert not store.mark_action_seen("act-1")


def test_flags_say_who_paused_why_and_the_newest_approval(store: Store) -> None:
    assert store.flags("p") == PairFlags()
    store.set_paused("p", True, by="ops@box", reason="migration")
    flags = store.flags("p")
    assert (flags.paused, flags.paused_by, flags.reason) == (True, "ops@box", "migration")
    assert flags.since is not None and flags.since.tzinfo == UTC
    plan_id = store.hold_plan("p", {"deletes": []}, "mass delete")
    approved = store.approve_plan(plan_id, "alice")
    assert store.flags("p").approved_at == approved.approved_at
    store.set_paused("p", False, by="ops@box")
    assert store.flags("p").paused is False and store.flags("p").reason is None


def test_a_run_in_sync_clears_the_plan_waiting_for_approval(store: Store) -> None:
    store.hold_plan("p", {"deletes": []}, "held")
    store.save_run("p", None, run("p", 1, outcome="held"))
    assert len(store.held_plans("p")) == 1  # a held run keeps it
    store.save_run("p", None, run("p", 2, outcome="noop"))
    assert store.held_plans("p") == []


def test_sources_are_kept_per_pair(store: Store) -> None:
    from app.core.records import PairSources

    assert store.sources("p") is None
    store.note_sources("p", PairSources("Board", "https://b", "Sheet", "https://s"))
    store.note_sources("p", PairSources("Board 2", "https://b", "Sheet", "https://s"))
    assert store.sources("p") == PairSources("Board 2", "https://b", "Sheet", "https://s")


def test_sources_keep_the_option_texts_of_list_fields(store: Store) -> None:
    from app.core.records import PairSources

    texts = {"o1": "Organic", "o2": "Payé"}
    store.note_sources("p", PairSources("Board", "https://b", "Sheet", "https://s", texts))
    kept = store.sources("p")
    assert kept is not None and dict(kept.option_texts) == texts


def test_a_store_for_reading_creates_no_file(tmp_path: Path) -> None:
    from app.store.store import store_for_reading

    path = tmp_path / "never.db"
    with store_for_reading(f"sqlite:///{path}") as reading:
        assert reading.load_base("p") is None and reading.held_plans() == []
    assert not path.exists()


def test_a_burst_of_webhook_actions_costs_one_transaction_each_and_prunes_once(store_url: str) -> None:
    clock = FakeClock(T0.timestamp())
    with Store(store_url, clock=clock.datetime) as store:
        statements: list[str] = []
        engine = store._engine  # counting the statements the store sends
        sa_event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2].split()[0]))
        for n in range(50):
            assert store.mark_action_seen(f"action-{n}") is True
            clock.advance(timedelta(milliseconds=100))
        # Before: a second transaction pruning old ids after every webhook (50 DELETEs, 100 commits).
        assert statements.count("DELETE") == 1
        clock.advance(timedelta(minutes=1))
        assert store.mark_action_seen("a minute later") is True
        assert statements.count("DELETE") == 2
