"""The process's run cap: never more than N runs at once, urgent waiters first, stop never stuck waiting.

No timing is asserted: the tests wait on events and on the slots' own counts, with generous timeouts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.core.records import RunRecord
from app.runtime.coordinator import Coordinator
from app.runtime.coordinators import CoordinatorGroup
from app.runtime.metrics import Metrics
from app.runtime.run_slots import RunSlots, rank
from tests.support.gated import TIMEOUT, GatedRun
from tests.support.waiting import wait_until


@pytest.fixture
def group() -> Iterator[CoordinatorGroup]:
    """Coordinators added here are stopped after the test."""
    made = CoordinatorGroup()
    yield made
    assert made.stop(TIMEOUT)


def coordinator(group: CoordinatorGroup, name: str, run: GatedRun, slots: RunSlots) -> Coordinator:
    made = Coordinator(name, run, debounce=0.0, slots=slots)
    group.add(made)
    made.start(initial_run=False)
    return made


def test_never_more_than_the_cap_at_once_and_the_rest_run_after(group: CoordinatorGroup) -> None:
    run, slots = GatedRun(), RunSlots(2)
    pairs = [coordinator(group, f"p{i}", run, slots) for i in range(5)]
    for c in pairs:
        c.request("reconcile")
    wait_until(lambda: run.active == 2 and slots.waiting == 3)
    assert len(run.order) == 2  # the three others wait, holding no lease: their runner was not called
    run.release.set()
    for c in pairs:
        assert c.wait_for_runs(1, TIMEOUT)
    assert sorted(run.order) == [f"p{i}" for i in range(5)]
    assert run.max_active == 2
    assert (slots.running, slots.waiting) == (0, 0)


def test_webhook_waiters_go_before_the_timers_first_come_first_served(group: CoordinatorGroup) -> None:
    run, slots = GatedRun(), RunSlots(1)
    holder = coordinator(group, "holder", run, slots)
    holder.request("reconcile")
    wait_until(lambda: run.active == 1)
    arrivals = [("r1", "reconcile"), ("w1", "webhook"), ("r2", "startup"), ("a1", "admin"), ("w2", "webhook")]
    waiters = []
    for count, (name, reason) in enumerate(arrivals, start=1):
        waiter = coordinator(group, name, run, slots)
        waiter.request(reason)
        wait_until(lambda count=count: slots.waiting == count)  # arrivals in a known order
        waiters.append(waiter)
    run.release.set()
    for waiter in waiters:
        assert waiter.wait_for_runs(1, TIMEOUT)
    assert run.order == ["holder", "w1", "a1", "w2", "r1", "r2"]


def test_stop_while_waiting_for_a_slot_returns_runs_nothing_and_keeps_the_request(
    group: CoordinatorGroup,
) -> None:
    run, slots = GatedRun(), RunSlots(1)
    holder = coordinator(group, "holder", run, slots)
    holder.request("reconcile")
    wait_until(lambda: run.active == 1)
    waiter = Coordinator("waiter", run, debounce=0.0, slots=slots)
    waiter.start(initial_run=False)
    waiter.request("webhook")
    wait_until(lambda: slots.waiting == 1)
    assert waiter.stop(TIMEOUT)  # while the holder still runs: the wait gave up, it did not take a slot
    assert (slots.waiting, slots.running) == (0, 1)
    assert run.order == ["holder"]
    assert waiter.health.runs == 0 and not waiter.health.running
    assert waiter.health.healthy  # waiting for a slot is no failure
    run.release.set()
    assert holder.wait_for_runs(1, TIMEOUT)
    # The request taken before the wait was put back: started again, the pair runs it, as a webhook's.
    group.add(waiter)
    waiter.start(initial_run=False)
    assert waiter.wait_for_runs(1, TIMEOUT)
    assert run.order == ["holder", "waiter"]
    assert "webhook" in waiter.health.last_run_reasons


def test_a_run_that_raises_gives_its_slot_back(group: CoordinatorGroup) -> None:
    slots = RunSlots(1)

    def failing(pair: str) -> RunRecord:
        raise RuntimeError("the API is down")

    c = Coordinator("social", failing, debounce=0.0, slots=slots)
    c.step()  # nothing due: no slot taken
    c.request("admin", force=True)
    assert c.step()
    assert not c.health.healthy
    assert (slots.running, slots.waiting) == (0, 0)


def test_the_gauges_follow_the_slots() -> None:
    metrics = Metrics()
    slots = RunSlots(1, metrics=metrics)
    assert slots.acquire(["reconcile"], lambda: False)
    stop = threading.Event()
    gave_up: list[bool] = []
    waiter = threading.Thread(target=lambda: gave_up.append(slots.acquire(["webhook"], stop.is_set)))
    waiter.start()
    wait_until(lambda: slots.waiting == 1)
    text = metrics.render().decode()
    assert "boardsheet_runs_in_progress 1.0" in text
    assert "boardsheet_runs_waiting_slot 1.0" in text
    stop.set()
    slots.wake()
    waiter.join(TIMEOUT)
    assert gave_up == [False]
    slots.release()
    assert "boardsheet_runs_in_progress 0.0" in metrics.render().decode()
    assert "boardsheet_runs_waiting_slot 0.0" in metrics.render().decode()


def test_the_cap_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one"):
        RunSlots(0)
    with pytest.raises(RuntimeError, match="never taken"):
        RunSlots(1).release()
    assert rank(["reconcile", "webhook"]) < rank(["reconcile", "startup"])


def test_a_stop_that_times_out_names_the_pairs_whose_run_is_cut_off(group: CoordinatorGroup) -> None:
    run, slots = GatedRun(), RunSlots(2)
    held, idle = coordinator(group, "held", run, slots), coordinator(group, "idle", run, slots)
    held.request("webhook")
    wait_until(lambda: run.active == 1)
    assert not group.stop(0.05)  # the held run outlasts the stop
    assert group.still_running() == ["held"] and idle.name not in group.still_running()
    run.release.set()
