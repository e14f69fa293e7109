"""Jobs run at a time from one daemon thread, so outgoing deliveries never block an API answer."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

IDLE_EXIT = 5.0  # seconds without work after which the thread ends (it restarts on demand)
logger = logging.getLogger(__name__)


class Scheduler:
    """A heap of (due time, job); one thread runs each job when due, one at a time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._thread: threading.Thread | None = None

    def at(self, due: float, job: Callable[[], None]) -> int:
        """Run `job` at monotonic time `due` (now or later); answers a ticket for `cancel`."""
        ticket = next(self._seq)
        with self._cond:
            heapq.heappush(self._heap, (due, ticket, job))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return ticket

    def cancel(self, ticket: int) -> None:
        """Forget a job not yet run (nothing happens if it ran or was cancelled)."""
        with self._cond:
            kept = [entry for entry in self._heap if entry[1] != ticket]
            if len(kept) != len(self._heap):
                heapq.heapify(kept)
                self._heap[:] = kept
                self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                idle_since = time.monotonic()
                while not self._heap or self._heap[0][0] > time.monotonic():
                    if not self._heap and time.monotonic() - idle_since >= IDLE_EXIT:
                        self._thread = None  # an emulator nobody uses keeps no thread
                        return
                    wait = self._heap[0][0] - time.monotonic() if self._heap else IDLE_EXIT
                    self._cond.wait(wait)
                _, _, job = heapq.heappop(self._heap)
                self._busy += 1
            try:
                job()
            except Exception:  # a failing job must not stop the others
                logger.exception("%s: a scheduled delivery failed", self.name)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until no job is queued or running (later jobs included); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True
