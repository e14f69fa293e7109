"""Stopping every pair's coordinator takes at most the timeout given, however many pairs are stuck."""

from __future__ import annotations

import time
from typing import cast

from app.runtime.coordinator import Coordinator
from app.runtime.coordinators import CoordinatorGroup


class Stuck:
    """A coordinator whose run never ends (its API unreachable): each join waits out its timeout."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.waited: list[float] = []

    def request_stop(self) -> None:
        """Asked to stop: the run in flight goes on."""

    def stop(self, timeout: float | None = None) -> bool:
        """Wait out `timeout`; the thread is still alive."""
        self.waited.append(timeout or 0.0)
        time.sleep(timeout or 0.0)
        return False


def test_three_stuck_pairs_stop_within_one_timeout_not_three() -> None:
    stuck = [Stuck(name) for name in ("alpha", "beta", "gamma")]
    group = CoordinatorGroup(cast(list[Coordinator], stuck))
    started = time.monotonic()
    assert group.stop(0.3) is False
    assert time.monotonic() - started < 0.55  # one join each of 0.3 s would be 0.9 s
    assert sum(s.waited[0] for s in stuck) <= 0.3


def test_without_a_timeout_each_is_joined_until_it_exits() -> None:
    class Done(Stuck):
        def stop(self, timeout: float | None = None) -> bool:
            self.waited.append(-1.0 if timeout is None else timeout)
            return True

    done = [Done("alpha"), Done("beta")]
    assert CoordinatorGroup(cast(list[Coordinator], done)).stop() is True
    assert [d.waited for d in done] == [[-1.0], [-1.0]]
