"""The coordinator's worker thread: single-flight under concurrent requests, clean start and stop.

No timing is asserted: the tests wait on events with generous timeouts and check what happened.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from app.core.records import RunRecord
from app.runtime.coordinator import Coordinator
from app.runtime.coordinators import CoordinatorGroup

TIMEOUT = 10.0


class BlockingRun:
    """A run that signals when it starts and waits to be released; tracks overlap."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.calls = 0
        self.threads: set[str] = set()

    def __call__(self, pair: str) -> RunRecord:
        with self.lock:
            self.active += 1
            self.calls += 1
            self.max_active = max(self.max_active, self.active)
            self.threads.add(threading.current_thread().name)
        self.started.set()
        self.release.wait(TIMEOUT)
        with self.lock:
            self.active -= 1
        at = datetime.now(UTC)
        return RunRecord(pair, at, at, "ok")


def test_start_runs_once_in_a_worker_thread_and_stop_ends_it() -> None:
    run = BlockingRun()
    run.release.set()
    c = Coordinator("social", run, debounce=0.0)
    c.start()
    try:
        assert c.wait_for_runs(1, TIMEOUT)
    finally:
        assert c.stop(TIMEOUT)
    assert run.threads == {"coordinator-social"}
    assert c.health.last_success is not None


def test_requests_during_a_run_make_exactly_one_more_run() -> None:
    run = BlockingRun()
    c = Coordinator("social", run, debounce=0.0)
    c.start(initial_run=False)
    try:
        c.request("webhook")
        assert run.started.wait(TIMEOUT)
        senders = [threading.Thread(target=c.request, args=("webhook",)) for _ in range(8)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(TIMEOUT)
        assert c.health.running
        run.release.set()
        assert c.wait_for_runs(2, TIMEOUT)
    finally:
        assert c.stop(TIMEOUT)
    assert run.calls == 2
    assert run.max_active == 1


def test_stop_waits_for_the_run_in_flight() -> None:
    run = BlockingRun()
    c = Coordinator("social", run, debounce=0.0)
    c.start()
    assert run.started.wait(TIMEOUT)
    stopped = threading.Event()

    def stop() -> None:
        c.stop(TIMEOUT)
        stopped.set()

    stopper = threading.Thread(target=stop)
    stopper.start()
    assert not stopped.wait(0.05)  # still inside the run, whatever the scheduling
    assert run.active == 1
    run.release.set()
    stopper.join(TIMEOUT)
    assert stopped.is_set()
    assert c.health.runs == 1
    assert not c.health.running


def test_a_group_starts_and_stops_every_pair() -> None:
    runs = {name: BlockingRun() for name in ("a", "b", "c")}
    for run in runs.values():
        run.release.set()
    group = CoordinatorGroup(Coordinator(name, run, debounce=0.0) for name, run in runs.items())
    group.start()
    try:
        assert all(c.wait_for_runs(1, TIMEOUT) for c in group)
    finally:
        assert group.stop(TIMEOUT)
    assert {name: run.calls for name, run in runs.items()} == {"a": 1, "b": 1, "c": 1}
