"""Several replicas over one store: a pause, resume or approval made on one is followed by the others."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime.coordinator import Coordinator
from app.runtime.wiring import Services, build_services
from app.store.store import RunRecord, Store
from tests.support.services import ADMIN_TOKEN, FakeRunner, FakeTrello, make_config, make_settings
from tests.support.waiting import wait_until

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TIMEOUT = 10.0


class Replica:
    """One replica: its own Services, fake runner and test client, over the shared database."""

    def __init__(self, tmp_path: Path, store_url: str) -> None:
        self.runner = FakeRunner()
        settings = make_settings(tmp_path, admin_token=ADMIN_TOKEN, database_url=store_url)
        self.services: Services = build_services(
            settings, make_config(), store=Store(store_url), trello=FakeTrello(), runner=self.runner
        )
        self.client = TestClient(create_app(services=self.services))

    def step(self, pair: str) -> bool:
        """Ask `pair` for a forced run and do it in this thread if the pair may run."""
        self.services.coordinators.request(pair, "admin", force=True)
        return self.services.coordinators.get(pair).step()


@pytest.fixture
def replicas(tmp_path: Path, store_url: str) -> Iterator[tuple[Replica, Replica]]:
    made = (Replica(tmp_path, store_url), Replica(tmp_path, store_url))
    yield made
    for replica in made:
        replica.services.close()


def test_a_pause_on_one_replica_stops_the_other_and_a_resume_restarts_it(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    assert a.client.post("/admin/pairs/alpha/pause", headers=AUTH).status_code == 200

    assert not b.step("alpha") and b.runner.ran == []
    assert b.services.coordinators.get("alpha").health.paused
    assert b.client.get("/status").json()["pairs"][0]["state"] == "paused"
    assert b.step("beta") and b.runner.ran == ["beta"]  # only the paused pair stops

    assert a.client.post("/admin/pairs/alpha/resume", headers=AUTH).status_code == 200
    assert b.step("alpha") and b.runner.ran == ["beta", "alpha"]
    assert not b.services.coordinators.get("alpha").health.paused


def test_a_resume_on_the_other_replica_wins_over_a_local_pause(replicas: tuple[Replica, Replica]) -> None:
    a, b = replicas
    assert b.client.post("/admin/pairs/beta/pause", headers=AUTH).status_code == 200
    assert not b.step("beta")
    assert a.client.post("/admin/pairs/beta/resume", headers=AUTH).status_code == 200
    assert b.step("beta") and b.runner.ran == ["beta"]


def test_a_plan_approved_on_one_replica_is_no_longer_waiting_on_the_other(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    plan_id = a.services.store.hold_plan("beta", {"deletes": [{"key": "c1"}]}, "would delete 1 of 1 row")
    assert b.client.get("/status").json()["pairs"][1]["state"] == "held"

    assert a.client.post(f"/admin/plans/{plan_id}/approve", headers=AUTH).status_code == 200
    beta = b.client.get("/status").json()["pairs"][1]
    assert beta["held_plans"] == [] and beta["state"] != "held"
    assert b.services.store.held_plans("beta")[0].approved_at is not None


def test_the_worker_follows_the_shared_flag_before_running_and_while_idle(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'shared.db'}")
    other_replica = Store(f"sqlite:///{tmp_path / 'shared.db'}")
    ran = threading.Event()
    runner = FakeRunner()

    def run(pair: str) -> RunRecord:
        ran.set()
        return runner(pair)

    other_replica.set_paused("social", True)
    # Built as if it missed the pause (paused=False): the worker must read the store before running.
    c = Coordinator(
        "social",
        run,
        debounce=0.0,
        paused_source=lambda: store.paused("social"),
        pause_poll=0.02,
    )
    try:
        c.start()
        assert wait_until(lambda: c.health.paused, "the pause", timeout=TIMEOUT)
        assert c.health.runs == 0 and not ran.is_set()

        other_replica.set_paused("social", False)  # resumed on another replica
        assert c.wait_for_runs(1, TIMEOUT) and ran.is_set()
        assert not c.health.paused and c.health.last_run_reasons == ("startup",)
    finally:
        assert c.stop(TIMEOUT)
        store.close()
        other_replica.close()
