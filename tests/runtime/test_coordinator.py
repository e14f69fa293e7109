"""The coordinator driven step by step on a fake clock: debounce, coalescing, timer, backoff, health."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.core.records import Outcome, RunRecord
from app.runtime.coordinator import Coordinator
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.metrics import Metrics
from tests.support.clock import FakeClock


class Runs:
    """A run function that counts calls and fails while `failing` is set."""

    def __init__(self) -> None:
        self.calls = 0
        self.failing = False
        self.during: Callable[[], None] | None = None

    def __call__(self, pair: str) -> RunRecord:
        self.calls += 1
        if self.during is not None:
            self.during()
        if self.failing:
            raise RuntimeError("Sheets answered 503")
        return record(pair)


def record(pair: str, outcome: Outcome = "ok", **counts: int) -> RunRecord:
    """The record a run returns."""
    at = datetime(2027, 1, 1, tzinfo=UTC)
    return RunRecord(pair, at, at, outcome, **counts)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runs() -> Runs:
    return Runs()


def make(clock: FakeClock, runs: Runs, **options: object) -> Coordinator:
    return Coordinator("social", runs, clock=clock, **options)  # type: ignore[arg-type]


def test_nothing_runs_without_a_request_or_the_timer(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs)
    clock.advance(299)
    assert not c.step()
    assert runs.calls == 0


def test_requests_within_the_debounce_window_coalesce(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, debounce=1.0)
    c.request("webhook")
    clock.advance(0.6)
    c.request("webhook")
    clock.advance(0.6)
    assert not c.step()  # the second request restarted the window
    clock.advance(0.4)
    assert c.step()
    assert not c.step()
    assert runs.calls == 1
    assert c.health.last_run_reasons == ("webhook",)


def test_a_continuous_stream_waits_at_most_max_wait(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, debounce=1.0, max_wait=5.0)
    ran_at = []
    for _ in range(24):
        c.request("webhook")
        if c.step():
            ran_at.append(clock.now)
        clock.advance(0.5)
    assert ran_at == [1005.0, 1010.5]
    assert runs.calls == 2


def test_requests_during_a_run_coalesce_into_exactly_one_next_run(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, debounce=1.0)

    def more_requests() -> None:
        for _ in range(5):
            c.request("webhook")

    runs.during = more_requests
    c.request("admin", force=True)
    assert c.step()
    runs.during = None
    assert c.health.next_run_at == clock.now + 1.0
    clock.advance(1.0)
    assert c.step()
    clock.advance(10)
    assert not c.step()
    assert runs.calls == 2


def test_the_timer_requests_a_reconcile(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, reconcile_every=300.0)
    clock.advance(300)
    assert c.step()
    assert c.health.last_run_reasons == ("reconcile",)
    clock.advance(299)
    assert not c.step()
    clock.advance(1)
    assert c.step()


def test_failures_back_off_exponentially_and_force_bypasses(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, debounce=0.0, backoff_base=10.0, backoff_max=25.0)
    runs.failing = True
    c.request("webhook")
    assert c.step()
    h = c.health
    assert (h.consecutive_failures, h.last_error, h.healthy) == (1, "Sheets answered 503", False)
    c.request("webhook")
    clock.advance(9)
    assert not c.step()  # backing off 10 s
    clock.advance(1)
    assert c.step()
    c.request("webhook")
    clock.advance(19)
    assert not c.step()  # now 20 s
    c.request("admin", force=True)
    assert c.step()  # "sync now" does not wait
    assert c.health.consecutive_failures == 3
    assert c.health.next_run_at == clock.now + 25.0  # capped at backoff_max (the timer is 300 s away)
    runs.failing = False
    c.request("admin", force=True)
    assert c.step()
    h = c.health
    assert (h.consecutive_failures, h.healthy, h.last_success) == (0, True, clock.now)
    assert h.last_error == "Sheets answered 503"  # kept for the status page


def test_unhealthy_and_recovered_are_each_logged_once(
    clock: FakeClock, runs: Runs, caplog: pytest.LogCaptureFixture
) -> None:
    c = make(clock, runs, debounce=0.0, backoff_base=0.0)
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    runs.failing = True
    for _ in range(3):
        c.request("webhook")
        assert c.step()
    runs.failing = False
    for _ in range(2):
        c.request("webhook")
        assert c.step()
    messages = [r.getMessage() for r in caplog.records]
    runs_logged = [m for m in messages if m.startswith("run of pair social: ")]
    assert len(runs_logged) == 5
    transitions = [m for m in messages if m not in runs_logged]
    assert transitions == [
        "pair social is unhealthy: Sheets answered 503",
        "pair social recovered after 3 failed run(s)",
    ]


def test_pause_holds_requests_until_resume(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, debounce=0.0)
    c.pause()
    c.request("webhook")
    clock.advance(400)
    assert not c.step()
    assert c.health.paused
    assert c.health.next_run_at is None
    c.resume()
    assert c.step()
    assert not c.step()
    assert runs.calls == 1


def test_health_is_a_frozen_snapshot(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs)
    c.request("webhook")
    h = c.health
    with pytest.raises(dataclasses.FrozenInstanceError):
        h.running = True  # type: ignore[misc]
    assert (h.last_request, h.last_request_reason, h.runs) == (clock.now, "webhook", 0)
    assert h.healthy is True


def test_runs_and_webhook_lag_are_counted(clock: FakeClock, runs: Runs) -> None:
    metrics = Metrics()
    c = make(clock, runs, debounce=1.0, metrics=metrics)
    c.request("webhook")
    clock.advance(1.0)
    assert c.step()
    runs.failing = True
    c.request("admin", force=True)
    assert c.step()
    get = metrics.registry.get_sample_value
    assert get("boardsheet_runs_total", {"pair": "social", "outcome": "ok"}) == 1
    assert get("boardsheet_runs_total", {"pair": "social", "outcome": "failed"}) == 1
    assert get("boardsheet_webhook_to_sheet_seconds_sum", {"pair": "social"}) == 1.0


def test_a_run_result_may_name_its_outcome(clock: FakeClock) -> None:
    metrics = Metrics()

    def held(pair: str) -> RunRecord:
        return record(pair, "held", rows_added=2, rows_removed=1, cells_changed=9)

    c = Coordinator("social", held, clock=clock, metrics=metrics, debounce=0.0)
    c.request("webhook")
    assert c.step()
    assert (
        metrics.registry.get_sample_value("boardsheet_runs_total", {"pair": "social", "outcome": "held"}) == 1
    )


def test_group_routes_requests_by_pair(clock: FakeClock) -> None:
    a, b = Runs(), Runs()
    group = CoordinatorGroup(
        [make(clock, a, debounce=0.0), Coordinator("other", b, clock=clock, debounce=0.0)]
    )
    assert group.request("other", "webhook")
    assert not group.request("missing", "webhook")
    assert [c.step() for c in group] == [False, True]
    assert (a.calls, b.calls) == (0, 1)
    assert set(group.health()) == {"social", "other"}
    assert "other" in group and len(group) == 2
    with pytest.raises(ValueError, match="already exists"):
        group.add(Coordinator("other", b, clock=clock))


def test_a_held_run_is_no_failure_but_does_not_count_as_the_sheet_updated(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    held = record("social", "held", rows_removed=0)
    c = Coordinator("social", lambda _pair: held, clock=clock, debounce=0.0)
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    c.request("webhook")
    assert c.step()
    h = c.health
    assert (h.healthy, h.last_success, h.last_reconcile) == (True, None, None)
    [line] = [r for r in caplog.records if r.getMessage().startswith("run of pair social")]
    assert line.levelno == logging.WARNING and line.getMessage() == "run of pair social: held"


def test_a_run_line_carries_its_counts(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    done = dataclasses.replace(
        record("social", rows_added=2, rows_removed=1, cells_changed=5, trello_requests=1, sheets_reads=1),
        message="2 added, 1 removed, 5 cells changed",
        sheets_writes=1,
    )
    c = Coordinator("social", lambda _pair: done, clock=clock, debounce=0.0)
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    c.request("webhook")
    assert c.step()
    [line] = [r for r in caplog.records if r.getMessage().startswith("run of pair social")]
    assert line.levelno == logging.INFO
    assert line.getMessage() == "run of pair social: ok: 2 added, 1 removed, 5 cells changed"
    counts = {k: getattr(line, k) for k in ("rows_added", "rows_removed", "cells_changed")}
    assert counts == {"rows_added": 2, "rows_removed": 1, "cells_changed": 5}
    assert (line.trello_requests, line.sheets_reads, line.sheets_writes) == (1, 1, 1)  # type: ignore[attr-defined]


def test_a_failed_run_logs_at_warning_with_its_error(
    clock: FakeClock, runs: Runs, caplog: pytest.LogCaptureFixture
) -> None:
    runs.failing = True
    c = make(clock, runs, debounce=0.0)
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    c.request("webhook")
    assert c.step()
    [line] = [r for r in caplog.records if r.getMessage().startswith("run of pair social")]
    assert line.levelno == logging.WARNING
    assert line.getMessage() == "run of pair social: failed: Sheets answered 503"


def test_an_approval_made_elsewhere_asks_for_a_run_at_once(clock: FakeClock, runs: Runs) -> None:
    from app.core.records import PairFlags

    flags = PairFlags(approved_at=datetime(2027, 1, 1, 9, tzinfo=UTC))  # an old approval, already spent
    c = make(clock, runs, debounce=5.0, paused_source=lambda: flags)
    assert not c.step() and runs.calls == 0  # the first read only learns what was approved so far
    flags = PairFlags(approved_at=datetime(2027, 1, 1, 10, tzinfo=UTC))  # `boardsheet approve` elsewhere
    assert c.step() and runs.calls == 1  # forced: no debounce
    assert c.health.last_run_reasons == ("approved plan",)
    assert not c.step() and runs.calls == 1  # the same approval asks once


def test_a_start_offset_defers_the_first_run_then_the_timer_keeps_its_phase(
    clock: FakeClock, runs: Runs
) -> None:
    # Stepped in the test's thread, no worker: a worker waking on real time could take the run first.
    c = make(clock, runs, start_offset=42.0, reconcile_every=300.0)
    c.request_startup()
    clock.advance(41.9)
    assert not c.step()
    clock.advance(0.1)
    assert c.step()
    assert c.health.last_run_reasons == ("startup",)
    clock.advance(299.9)
    assert not c.step()
    clock.advance(0.1)
    assert c.step()
    assert (c.health.last_run_reasons, runs.calls) == (("reconcile",), 2)


def test_a_webhook_before_a_deferred_start_runs_at_once(clock: FakeClock, runs: Runs) -> None:
    c = make(clock, runs, start_offset=150.0, debounce=0.0)
    c.request_startup()
    c.request("webhook")
    assert c.step()
    assert c.health.last_run_reasons == ("webhook",)
    clock.advance(299.0)
    assert not c.step()  # the webhook's run counted as the start: the next is a timer's interval on
