"""The service's coordinators share ONE run cap: BOARDSHEET_MAX_CONCURRENT_RUNS bounds the process."""

from __future__ import annotations

from collections.abc import Callable

from app.runtime.wiring import Services
from tests.support.gated import TIMEOUT, GatedRun
from tests.support.waiting import wait_until


def waiting(services: Services) -> float:
    """The gauge of runs waiting for a slot."""
    return services.metrics.registry.get_sample_value("boardsheet_runs_waiting_slot") or 0.0


def test_every_pair_waits_on_the_same_slots(make: Callable[..., Services]) -> None:
    run = GatedRun()
    services = make(runner=run, max_concurrent_runs=1, debounce=0.0)
    services.coordinators.start(initial_run=False)
    alpha, beta = services.coordinators.get("alpha"), services.coordinators.get("beta")
    alpha.request("webhook")
    wait_until(lambda: run.active == 1)
    beta.request("webhook")
    # With a cap of its own, beta would run beside alpha; with the shared one, it waits.
    wait_until(lambda: waiting(services) == 1)
    assert run.order == ["alpha"]
    run.release.set()
    assert alpha.wait_for_runs(1, TIMEOUT) and beta.wait_for_runs(1, TIMEOUT)
    assert run.order == ["alpha", "beta"]
    assert run.max_active == 1
