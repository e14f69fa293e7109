"""Every pair's coordinator, by name: request, start and stop them together."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from app.core.schedule import Health
from app.runtime.coordinator import Coordinator

__all__ = ["CoordinatorGroup"]


class CoordinatorGroup:
    """Every pair's coordinator, by name."""

    def __init__(self, coordinators: Iterable[Coordinator] = ()) -> None:
        self._by_name: dict[str, Coordinator] = {}
        for coordinator in coordinators:
            self.add(coordinator)

    def add(self, coordinator: Coordinator) -> None:
        """Register a coordinator; names are unique."""
        if coordinator.name in self._by_name:
            raise ValueError(f"a coordinator named {coordinator.name!r} already exists")
        self._by_name[coordinator.name] = coordinator

    def get(self, name: str) -> Coordinator:
        """The coordinator of pair `name` (KeyError when there is none)."""
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Coordinator]:
        return iter(list(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        """Request a run of pair `name`; False when no such pair exists."""
        coordinator = self._by_name.get(name)
        if coordinator is None:
            return False
        coordinator.request(reason, force=force)
        return True

    def health(self) -> dict[str, Health]:
        """Every pair's health, by name."""
        return {name: c.health for name, c in self._by_name.items()}

    def start(self, *, initial_run: bool = True) -> None:
        """Start every worker."""
        for coordinator in self:
            coordinator.start(initial_run=initial_run)

    def still_running(self) -> list[str]:
        """The pairs whose run is still going (after a stop that timed out: the ones cut off)."""
        return [coordinator.name for coordinator in self if coordinator.health.running]

    def stop(self, timeout: float | None = None) -> bool:
        """Stop every worker (all asked first, then joined within `timeout` in all); True when all exited."""
        for coordinator in self:
            coordinator.request_stop()
        if timeout is None:
            return all([coordinator.stop() for coordinator in self])
        # One deadline for the group: a join each of `timeout` made a stop with every pair's API
        # unreachable take pairs times timeout, past any container's stop grace period.
        deadline = time.monotonic() + timeout
        return all([coordinator.stop(max(deadline - time.monotonic(), 0.0)) for coordinator in self])
