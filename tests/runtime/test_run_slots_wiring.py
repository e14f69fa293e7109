"""The service's coordinators share ONE run cap: BOARDSHEET_MAX_CONCURRENT_RUNS bounds the process."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime.wiring import Services
from tests.support.gated import TIMEOUT, GatedRun
from tests.support.waiting import wait_until


def waiting(services: Services) -> float:
    """The gauge of runs waiting for a slot."""
    return services.metrics.registry.get_sample_value("boardsheet_runs_waiting_slot") or 0.0


def alpha_running_beta_waiting(make: Callable[..., Services]) -> tuple[Services, GatedRun]:
    """A service capped at one run: alpha's run held at its gate, beta's asked for after it."""
    run = GatedRun()
    services = make(runner=run, max_concurrent_runs=1, debounce=0.0)
    services.coordinators.start(initial_run=False)
    services.coordinators.get("alpha").request("webhook")
    wait_until(lambda: run.active == 1)
    services.coordinators.get("beta").request("webhook")
    # With a cap of its own, beta would run beside alpha; with the shared one, it waits.
    wait_until(lambda: waiting(services) == 1)
    return services, run


def test_every_pair_waits_on_the_same_slots(make: Callable[..., Services]) -> None:
    services, run = alpha_running_beta_waiting(make)
    alpha, beta = services.coordinators.get("alpha"), services.coordinators.get("beta")
    assert run.order == ["alpha"]
    run.release.set()
    assert alpha.wait_for_runs(1, TIMEOUT) and beta.wait_for_runs(1, TIMEOUT)
    assert run.order == ["alpha", "beta"]
    assert run.max_active == 1


def test_a_pair_waiting_for_a_slot_shows_queued_not_running_on_status(make: Callable[..., Services]) -> None:
    services, run = alpha_running_beta_waiting(make)
    client = TestClient(create_app(services=services))
    pairs = {p["name"]: p for p in client.get("/status").json()["pairs"]}
    assert (pairs["alpha"]["state"], pairs["alpha"]["running"]) == ("syncing", True)
    queued = pairs["beta"]
    assert (queued["state"], queued["running"], queued["healthy"]) == ("pending", False, True)
    assert queued["queued_since"] is not None
    assert "waiting for a free run slot" in queued["summary"]
    run.release.set()
    beta = services.coordinators.get("beta")
    assert beta.wait_for_runs(1, TIMEOUT)
    assert beta.health.queued_since is None and not beta.health.running
