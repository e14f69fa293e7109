"""A pair waiting on another process's run says so on /status and the page, and logs it twice, not per try.

Before, a pair refused for ten minutes by a dead holder's lease showed "healthy, in sync" and logged one
line per attempt (about 600; issue 13, section 1).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.records import RunRecord
from app.errors import PairBusy
from app.main import create_app
from app.runtime.lease import Lease, pair_lease
from app.runtime.wiring import Services
from tests.support.clock import FakeClock
from tests.support.services import NOW, make_services, run_record


class BusyThenFree:
    """Raises PairBusy while `busy` is set, then runs."""

    def __init__(self) -> None:
        self.busy = True

    def __call__(self, pair: str) -> RunRecord:
        if self.busy:
            raise PairBusy(pair)
        return run_record(pair)


@pytest.fixture
def runner() -> BusyThenFree:
    return BusyThenFree()


@pytest.fixture
def services(tmp_path: Path, runner: BusyThenFree) -> Iterator[Services]:
    made = make_services(tmp_path, clock=FakeClock(NOW), runner=runner)
    yield made
    made.close()


def test_waiting_shows_since_when_and_logs_once_at_each_end(
    services: Services, runner: BusyThenFree, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    clock = services.clock
    assert isinstance(clock, FakeClock)
    alpha = services.coordinators.get("alpha")
    alpha.request("webhook")
    clock.now += 1  # the debounce: the first refused attempt at NOW + 1 = 08:00:01 UTC
    attempts = 0
    for _ in range(20):  # twenty refused attempts, one debounce apart
        attempts += alpha.step()
        clock.now += 1
    assert attempts == 20

    doc = TestClient(create_app(services=services)).get("/status").json()["pairs"][0]
    assert doc["state"] == "waiting"
    assert doc["summary"] == "waiting for another process's run since 08:00; never updated"
    assert doc["waiting_since"] == "2027-01-15T08:00:01+00:00"
    page = TestClient(create_app(services=services)).get("/").text
    assert "waiting for another process&#39;s run since 08:00" in page

    runner.busy = False
    assert alpha.step()
    doc = TestClient(create_app(services=services)).get("/status").json()["pairs"][0]
    assert doc["state"] == "in_sync" and doc["waiting_since"] is None

    lines = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert lines == [
        "pair alpha: waiting for another process's run (pair 'alpha' is being synced by another process; "
        "try again when that run ends)",
        "pair alpha: stopped waiting for another process's run after 20 s",
    ]


class LeasedRun:
    """A run under the pair's real lease, as Syncer.run takes it, lasting `seconds` on the fake clock.

    While it runs it reads /status and the page, as a newcomer watching the replica that took over would.
    """

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds
        self.services: Services | None = None  # the container running it, once built
        self.status: dict[str, object] = {}
        self.page = ""

    def __call__(self, pair: str) -> RunRecord:
        assert self.services is not None
        with pair_lease(self.services.store, pair):
            client = TestClient(create_app(services=self.services))
            self.status = client.get("/status").json()["pairs"][0]
            self.page = client.get("/").text
            self.clock.now += self.seconds
        return run_record(pair)


def test_the_wait_ends_when_the_lease_is_taken_not_when_the_run_ends(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.runtime.coordinator")
    clock = FakeClock(NOW)
    run = LeasedRun(clock, seconds=9.0)
    services = run.services = make_services(tmp_path, clock=clock, runner=run)
    try:
        other = Lease(services.store, "alpha")  # another process's run holds the pair
        assert other.take()
        alpha = services.coordinators.get("alpha")
        alpha.request("webhook")
        clock.now += 1
        assert alpha.step()  # refused: the wait starts
        assert alpha.health.waiting_since == clock.now
        other.release()  # the other run ends
        clock.now += 1
        assert alpha.step()  # ours takes the lease after a 1 s wait, then runs for 9 s
    finally:
        services.close()

    seen = run.status  # during our own run, after the lease was taken
    assert (seen["state"], seen["running"], seen["waiting_since"]) == ("syncing", True, None)
    assert "waiting for another" not in run.page
    lines = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert lines[1:] == ["pair alpha: stopped waiting for another process's run after 1 s"]
