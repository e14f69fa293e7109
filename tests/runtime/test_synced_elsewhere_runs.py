"""Two replicas do not both reconcile a pair each period: a timer run right after a successful run
(another process's, or a webhook's run) is skipped, and the runner is not called."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.core.records import RunRecord
from app.errors import PairBusy
from app.runtime.coordinator import Coordinator
from app.runtime.wiring import Services
from tests.support.clock import FakeClock
from tests.support.services import FakeRunner

EVERY = 300.0


def coordinator(clock: FakeClock, runner: FakeRunner, synced: list[float | None]) -> Coordinator:
    return Coordinator(
        "p", runner, debounce=0.0, reconcile_every=EVERY, clock=clock, synced_source=lambda: synced[0]
    )


def test_the_timer_run_after_a_run_elsewhere_is_skipped_and_the_next_one_done() -> None:
    clock, runner, synced = FakeClock(1_000.0), FakeRunner(), [None]
    c = coordinator(clock, runner, synced)  # type: ignore[arg-type]
    clock.now += EVERY
    synced[0] = clock.now - 1.5  # the other replica's run of this same timer tick
    assert c.step()  # due and claimed, then skipped: no run of ours
    assert runner.ran == []
    h = c.health
    assert (h.runs, h.running, h.last_success, h.next_reconcile_at) == (
        0,
        False,
        clock.now - 1.5,
        clock.now + EVERY,
    )
    clock.now += EVERY  # nobody ran it since: this process does
    assert c.step() and runner.ran == ["p"]


def test_a_webhook_run_and_a_failing_pair_are_never_skipped() -> None:
    clock, runner, synced = FakeClock(1_000.0), FakeRunner(), [None]
    c = coordinator(clock, runner, synced)  # type: ignore[arg-type]
    synced[0] = clock.now + 0.5
    clock.now += 1
    c.request("webhook")
    assert c.step() and runner.ran == ["p"]
    runner.error = RuntimeError("Sheets unreachable")
    c.request("webhook")
    assert c.step() and not c.health.healthy
    runner.error = None
    clock.now += EVERY  # the backoff's retry is the timer's: the pair still finds out whether it works
    synced[0] = clock.now - 1
    assert c.step() and runner.ran == ["p", "p", "p"] and c.health.healthy


def test_the_service_reads_the_store_for_it(make: Callable[..., Services]) -> None:
    runner = FakeRunner()
    services = make(runner=runner, debounce=0.0)
    alpha = services.coordinators.get("alpha")
    at = datetime.now(UTC)
    services.store.save_run("alpha", None, RunRecord("alpha", at, at, "ok"))  # another replica's run
    alpha.request("reconcile")
    assert alpha.step()  # claimed, then skipped: the wiring gave the coordinator the store's last run
    assert runner.ran == []
    skipped = services.metrics.registry.get_sample_value("boardsheet_runs_skipped_total", {"pair": "alpha"})
    assert skipped == 1.0  # a replica that only skips says so on /metrics
    services.store.save_run("alpha", None, RunRecord("alpha", at, at, "failed"))
    alpha.request("webhook")
    assert alpha.step() and runner.ran == ["alpha"]


def test_a_pair_waiting_on_another_process_stops_waiting_when_that_run_makes_ours_needless() -> None:
    clock, runner, synced = FakeClock(1_000.0), FakeRunner(), [None]
    c = coordinator(clock, runner, synced)  # type: ignore[arg-type]
    runner.error = PairBusy("p")  # the other replica's start-up run holds the lease
    c.request_startup()
    assert c.step() and c.health.waiting_since == clock.now
    clock.now += 2  # it ended, and synced the pair
    synced[0] = clock.now - 1.5
    runner.error = None
    assert c.step() and runner.ran == ["p"]  # only the refused attempt: the retry is skipped...
    assert c.health.waiting_since is None  # ...and the pair no longer says it waits


def test_a_lone_replica_never_skips_for_its_own_run() -> None:
    # A reconcile asked for right after its own run (as a test or a person's timer would) is done: a
    # webhook missed since that run is healed now, not a period later.
    clock, runner, synced = FakeClock(1_000.0), FakeRunner(), [None]
    c = coordinator(clock, runner, synced)  # type: ignore[arg-type]
    clock.now += 1
    c.request("webhook")
    assert c.step() and runner.ran == ["p"]
    synced[0] = clock.now  # the store's record of that very run
    clock.now += 1
    c.request("reconcile")
    assert c.step() and runner.ran == ["p", "p"]


def test_a_webhook_run_costs_no_store_query() -> None:
    clock, runner, asked = FakeClock(1_000.0), FakeRunner(), []

    def source() -> float | None:
        asked.append(clock.now)
        return None

    c = Coordinator("p", runner, debounce=0.0, reconcile_every=EVERY, clock=clock, synced_source=source)
    clock.now += 1
    c.request("webhook")
    assert c.step() and asked == []  # the hot path stays as it was
    clock.now += EVERY + 1
    assert c.step() and asked == [clock.now]  # the timer's run asks once
