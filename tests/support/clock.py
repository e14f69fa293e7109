"""The one fake clock of the suite: time moves only when a test advances it or code sleeps on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that moves only when told or slept on, recording every sleep (thread-safe).

    Called, it answers the time in seconds, like time.monotonic; `datetime` answers the same instant as an
    aware UTC datetime, for clocks that speak datetimes (the store's). `now` may be set or moved by hand.
    """

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []  # every sleep, in order; a test's own advance() counts as one
        self._alarms: dict[int, Callable[[], None]] = {}
        self._lock = threading.Lock()

    def __call__(self) -> float:
        """The time, in seconds."""
        with self._lock:
            return self.now

    def datetime(self) -> datetime:
        """The time, as an aware UTC datetime."""
        return datetime.fromtimestamp(self(), UTC)

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move the time on; then ring the alarm set for this many sleeps, if any."""
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
            alarm = self._alarms.pop(len(self.sleeps), None)
        if alarm is not None:
            alarm()

    def advance(self, by: float | timedelta) -> None:
        """Let `by` seconds (or a timedelta) pass, as if the test slept."""
        self.sleep(by.total_seconds() if isinstance(by, timedelta) else by)

    def after_sleeps(self, count: int, then: Callable[[], None]) -> FakeClock:
        """Run `then` once `count` sleeps were asked for (a fault that heals during a back-off); chainable."""
        with self._lock:
            self._alarms[count] = then
        return self
