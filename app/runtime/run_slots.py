"""A cap on the runs one process does at once, shared by every coordinator; the first asked, first served.

On PostgreSQL a run in progress holds one connection of its own (the pair's advisory lock), and without a cap
200 pairs on one replica met "too many clients already". A coordinator takes a slot before its run (before
the lease, so nothing is held while it waits) and gives it back after. Runs asked for by a change or a
person go before the timer's: a webhook's change should not queue behind a hundred reconciles. Within a
rank, waiters are served in the order they came (FIFO).
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterable

from app.runtime.metrics import Metrics

__all__ = ["URGENT_REASONS", "RunSlots", "rank"]

# Runs somebody is waiting to see: a change signal (Trello webhook, Drive push, edit hint) or a person.
URGENT_REASONS = frozenset({"webhook", "drive", "sheet-edit", "admin", "approved plan"})
# A waiter re-checks whether its coordinator is stopping at least this often (`wake()` makes it sooner).
STOP_POLL = 1.0


def rank(reasons: Iterable[str]) -> int:
    """0 for a run somebody waits to see (URGENT_REASONS), 1 for the timer's; lower goes first."""
    return 0 if any(reason in URGENT_REASONS for reason in reasons) else 1


class RunSlots:
    """At most `limit` runs at once; waiters served by rank, then in order of arrival."""

    def __init__(self, limit: int, *, metrics: Metrics | None = None) -> None:
        if limit < 1:
            raise ValueError("a run cap must allow at least one run")
        self.limit = limit
        self._metrics = metrics
        self._cond = threading.Condition()
        self._running = 0
        self._queue: list[tuple[int, int]] = []  # a heap of (rank, ticket): the head is served next
        self._tickets = itertools.count()

    @property
    def running(self) -> int:
        """Runs holding a slot now."""
        with self._cond:
            return self._running

    @property
    def waiting(self) -> int:
        """Runs waiting for a slot now."""
        with self._cond:
            return len(self._queue)

    def try_acquire(self) -> bool:
        """Take a slot if one is free and nobody waits for one; False at once otherwise."""
        with self._cond:
            if self._running >= self.limit or self._queue:
                return False
            self._running += 1
            self._publish()
            return True

    def acquire(self, reasons: Iterable[str], stopping: Callable[[], bool]) -> bool:
        """Wait for a slot; False (and no slot) once `stopping()` says the caller is stopping."""
        entry = (rank(reasons), next(self._tickets))
        with self._cond:
            heapq.heappush(self._queue, entry)
            self._publish()
            try:
                while self._running >= self.limit or self._queue[0] != entry:
                    if stopping():
                        return False
                    self._cond.wait(STOP_POLL)
                heapq.heappop(self._queue)
                self._running += 1
                return True
            finally:
                if entry in self._queue:  # gave up
                    self._queue.remove(entry)
                    heapq.heapify(self._queue)
                # The head changed either way: the next waiter may take a slot that is still free.
                self._cond.notify_all()
                self._publish()

    def release(self) -> None:
        """Give a slot back; the next waiter takes it."""
        with self._cond:
            if self._running <= 0:
                raise RuntimeError("a run slot was given back that was never taken")
            self._running -= 1
            self._publish()
            self._cond.notify_all()

    def wake(self) -> None:
        """Make every waiter re-check whether it is stopping (a coordinator was asked to stop)."""
        with self._cond:
            self._cond.notify_all()

    def _publish(self) -> None:
        """Set the gauges (caller holds the lock)."""
        if self._metrics is not None:
            self._metrics.slots(running=self._running, waiting=len(self._queue))
