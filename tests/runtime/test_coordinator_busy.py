"""A run refused with PairBusy (another process holds the pair's lease) is no failure: it is asked again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.records import RunRecord
from app.errors import PairBusy
from app.runtime.coordinator import Coordinator
from app.runtime.lease import Lease, pair_lease
from app.runtime.metrics import Metrics
from app.store.store import Store
from tests.support.clock import FakeClock
from tests.support.services import run_record


class BusyRuns:
    """A run function that raises PairBusy while `busy` runs remain, then succeeds."""

    def __init__(self, busy: int) -> None:
        self.busy = busy
        self.calls = 0

    def __call__(self, pair: str) -> RunRecord:
        self.calls += 1
        if self.busy > 0:
            self.busy -= 1
            raise PairBusy(pair)
        return run_record(pair)


def test_a_busy_pair_stays_healthy_and_runs_after_the_debounce(caplog: pytest.LogCaptureFixture) -> None:
    clock, runs, metrics = FakeClock(), BusyRuns(busy=2), Metrics()
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    c = Coordinator("social", runs, clock=clock, metrics=metrics, debounce=2.0, backoff_base=60.0)
    c.request("webhook")
    clock.advance(2.0)
    webhook_at = clock.now - 2.0
    assert c.step()
    h = c.health
    assert (runs.calls, h.healthy, h.consecutive_failures, h.last_error, h.running) == (
        1,
        True,
        0,
        None,
        False,
    )
    assert h.runs == 0  # nothing ran: the other process's run is the one that counts
    assert h.next_run_at == clock.now + 2.0  # the debounce, not the 60 s backoff
    clock.advance(1.9)
    assert not c.step()
    clock.advance(0.1)
    assert c.step()  # still busy: asked again
    assert c.health.next_run_at == clock.now + 2.0
    clock.advance(2.0)
    assert c.step()
    h = c.health
    assert (runs.calls, h.runs, h.healthy, h.last_success) == (3, 1, True, clock.now)
    assert h.last_run_reasons == ("webhook",)  # the request that met a busy pair was carried over
    get = metrics.registry.get_sample_value
    assert get("boardsheet_runs_total", {"pair": "social", "outcome": "failed"}) is None
    assert get("boardsheet_runs_total", {"pair": "social", "outcome": "ok"}) == 1
    assert get("boardsheet_webhook_to_sheet_seconds_sum", {"pair": "social"}) == clock.now - webhook_at
    assert not any("unhealthy" in r.getMessage() for r in caplog.records)


def test_a_busy_timer_run_is_retried_after_the_debounce_not_in_a_loop() -> None:
    clock, runs = FakeClock(), BusyRuns(busy=1)
    c = Coordinator("social", runs, clock=clock, debounce=1.0, reconcile_every=300.0)
    clock.advance(300.0)
    assert c.step()
    assert not c.step()  # the due timer does not fire again at once
    clock.advance(1.0)
    assert c.step()
    h = c.health
    assert (runs.calls, h.runs, h.last_run_reasons, h.last_reconcile) == (2, 1, ("reconcile",), clock.now)
    assert h.next_run_at == clock.now + 300.0


class LeasedRuns:
    """Runs under the pair's real lease, as Syncer.run does, each lasting `seconds` on the fake clock."""

    def __init__(self, store: Store, clock: FakeClock, seconds: float) -> None:
        self.store, self.clock, self.seconds = store, clock, seconds
        self.coordinator: Coordinator | None = None
        self.waiting_during: list[float | None] = []  # the pair's waiting_since while each run held the lease

    def __call__(self, pair: str) -> RunRecord:
        with pair_lease(self.store, pair):
            assert self.coordinator is not None
            self.waiting_during.append(self.coordinator.health.waiting_since)
            self.clock.advance(self.seconds)
        return run_record(pair)


def test_the_wait_ends_when_the_lease_is_taken(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    clock = FakeClock()
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        runs = LeasedRuns(store, clock, seconds=9.0)
        c = runs.coordinator = Coordinator("social", runs, clock=clock, debounce=1.0)
        other = Lease(store, "social")  # another process's run (a CLI sync, a replica) holds the pair
        assert other.take()
        c.request("webhook")
        clock.advance(1.0)
        assert c.step() and c.health.waiting_since == clock.now  # refused: waiting
        clock.advance(1.0)
        assert c.step() and c.health.waiting_since is not None  # still refused: still the same wait
        other.release()
        clock.advance(1.0)
        assert c.step()  # the lease is ours after 2 s of waiting; the run lasts 9 s more
    finally:
        store.close()
    assert runs.waiting_during == [None]
    h = c.health
    assert (h.waiting_since, h.runs, h.healthy) == (None, 1, True)
    lines = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert lines == [
        "pair social: waiting for another process's run (pair 'social' is being synced by another process; "
        "try again when that run ends)",
        "pair social: stopped waiting for another process's run after 2 s",
    ]
