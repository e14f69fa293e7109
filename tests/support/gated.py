"""A run held at a gate until the test lets it go: deterministic tests of concurrent runs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from app.core.records import RunRecord
from tests.support.waiting import TIMEOUT

__all__ = ["TIMEOUT", "GatedRun"]


class GatedRun:
    """A run that waits for `release`; records the order runs started and the most at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.order: list[str] = []

    def __call__(self, pair: str) -> RunRecord:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.order.append(pair)
        try:
            assert self.release.wait(TIMEOUT)
        finally:
            with self.lock:
                self.active -= 1
        at = datetime.now(UTC)
        return RunRecord(pair, at, at, "ok")
