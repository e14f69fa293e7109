"""A thread-safe sliding-window rate limiter, and one registry of them shared across the process."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class RateLimiter:
    """Admits at most `max_calls` acquisitions in any window of `period` seconds; `acquire` waits for room.

    With `burst`, also at most `burst` in any `period * burst / max_calls` seconds: the same average rate,
    spread out. Without it a busy client spends a minute's quota in seconds and then stalls for the rest of
    the minute; with it, the longest wait is one short window.

    With `parent` (a quota shared by several limiters, e.g. a Google project's over its service accounts),
    a call is admitted only when both have room, and recorded in both at once.
    """

    def __init__(
        self,
        max_calls: int,
        period: float,
        *,
        burst: int | None = None,
        parent: RateLimiter | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("a rate limiter needs max_calls >= 1 and period > 0")
        if burst is not None and not 1 <= burst <= max_calls:
            raise ValueError("burst must be between 1 and max_calls")
        self.max_calls = max_calls
        self.period = period
        self.burst = burst
        self.parent = parent
        self._clock = clock
        self._sleep = sleep
        self._admitted: deque[float] = deque()
        self._held_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a call is allowed, record it, and return the clock reading it was admitted at."""
        while True:
            with self._lock:
                now = self._clock()
                wait = self._admit(now)
                if wait <= 0:
                    return now
            # Sleep outside the lock so other threads can observe the window meanwhile.
            self._sleep(wait)

    def try_acquire(self) -> bool:
        """Record a call and return True if one is allowed right now, else return False without waiting."""
        with self._lock:
            return self._admit(self._clock()) <= 0

    def hold(self, seconds: float) -> None:
        """Admit nothing for the next `seconds` (e.g. the server asked us to slow down)."""
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)

    def in_window(self) -> int:
        """How many calls were admitted within the current window."""
        with self._lock:
            self._forget_before(self._clock() - self.period)
            return len(self._admitted)

    def _admit(self, now: float) -> float:
        """Record a call at `now` here and in the parent if both have room, else the wait (lock held).

        Locks are taken child first, parent second, never the other way: no two limiters deadlock.
        """
        wait = self._wait_needed(now)
        if self.parent is None:
            if wait <= 0:
                self._admitted.append(now)
            return wait
        with self.parent._lock:
            wait = max(wait, self.parent._wait_needed(now))
            if wait <= 0:
                self._admitted.append(now)
                self.parent._admitted.append(now)
        return wait

    def _wait_needed(self, now: float) -> float:
        """Seconds to wait before the next call may be admitted at `now` (caller holds the lock)."""
        self._forget_before(now - self.period)
        wait = self._held_until - now
        if len(self._admitted) >= self.max_calls:
            wait = max(wait, self._admitted[0] + self.period - now)
        if self.burst is not None and len(self._admitted) >= self.burst:
            short = self.period * self.burst / self.max_calls
            wait = max(wait, self._admitted[-self.burst] + short - now)
        return wait

    def _forget_before(self, cutoff: float) -> None:
        """Drop admissions that left the window (caller holds the lock)."""
        while self._admitted and self._admitted[0] <= cutoff:
            self._admitted.popleft()


_shared: dict[tuple[str, str], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(
    identity: str,
    endpoint: str,
    max_calls: int,
    period: float,
    *,
    burst: int | None = None,
    parent: RateLimiter | None = None,
) -> RateLimiter:
    """The process's one limiter for an identity (token, user) on an endpoint, created on first use.

    APIs meter quota per token or user whoever sends the requests, so every connector of that identity
    must share one limiter. The registry keys on a digest, never on the secret itself. Asking again with
    other limits, or under another `parent` (None: any), raises ValueError: silently replacing the limiter
    would let two connectors of one identity each spend the whole quota. A `parent` given for a limiter
    made without one is attached to it.
    """
    key = (hashlib.sha256(identity.encode()).hexdigest(), endpoint)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            limiter = _shared[key] = RateLimiter(max_calls, period, burst=burst, parent=parent)
        elif (limiter.max_calls, limiter.period, limiter.burst) != (max_calls, period, burst) or (
            parent is not None and limiter.parent not in (None, parent)
        ):
            raise ValueError(
                f"a limiter for this identity on {endpoint} already allows {limiter.max_calls} calls per "
                f"{limiter.period:g} s (burst {limiter.burst}); asked for {max_calls} per {period:g} s "
                f"(burst {burst}), or under another parent limiter"
            )
        elif parent is not None and limiter.parent is None:
            # Made first without one (a tool, a test): the shared quota binds from now on, only stricter.
            with limiter._lock:
                limiter.parent = parent
        return limiter
