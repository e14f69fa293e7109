"""One metered attempt, shared by every connector: rate-limited, counted, and observed.

Counts are kept twice: per connector (`requests_made`, for its lifetime) and per *block of work* through
`counting()`, a context variable. A run of one pair counts inside its own block, so two pairs running at
once in two threads never count each other's requests, although they share the connectors.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from connectors.limits import RateLimiter

__all__ = ["Limiters", "Meter", "Observer", "counting"]

# Told the HTTP status of every response (0: no response at all); must be quick and must not raise.
Observer = Callable[[int], None]

# One limiter for every request (Trello, Drive), or one per kind of request ("read", "write": Google meters
# Sheets reads and writes in separate quotas, so a user's reads never wait for its writes' bucket).
Limiters = RateLimiter | Mapping[str, RateLimiter]

_block: ContextVar[Counter[str] | None] = ContextVar("boardsheet_request_counts", default=None)


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Count the requests sent by this thread (or task) inside the block, by service ("trello", ...)."""
    counts: Counter[str] = Counter()
    token = _block.set(counts)
    try:
        yield counts
    finally:
        _block.reset(token)


class Meter:
    """Admits one request at a time through a rate limiter, counts it, and tells an observer its status."""

    def __init__(self, service: str, limiters: Limiters, observer: Observer | None = None) -> None:
        """`limiters` by kind must name every kind admitted (a missing one is a KeyError, not a free pass)."""
        self.service = service
        self._limiters = limiters
        self._observer = observer
        self._lock = threading.Lock()
        self.requests_made = 0

    def admit(self, kind: str = "") -> None:
        """Wait for the limiter, then count the request about to be sent (retries count too).

        `kind` ("read", "write") also counts it under "<service> <kind>" in the block's counter, so a run
        tells its reads from its writes by what was sent, not by what it meant to send; with limiters by
        kind, it waits for that kind's limiter only.
        """
        self._for(kind).acquire()
        with self._lock:
            self.requests_made += 1
        block = _block.get()
        if block is not None:
            block[self.service] += 1
            if kind:
                block[f"{self.service} {kind}"] += 1

    def observe(self, status: int) -> None:
        """Tell the observer a response's status (0 when none came back)."""
        if self._observer is not None:
            self._observer(status)

    def hold(self, seconds: float, kind: str = "") -> None:
        """Admit nothing of `kind` for `seconds` (the server asked us to slow down); no kind: nothing."""
        if kind or isinstance(self._limiters, RateLimiter):
            self._for(kind).hold(seconds)
            return
        for limiter in self._limiters.values():
            limiter.hold(seconds)

    def _for(self, kind: str) -> RateLimiter:
        """The limiter a request of `kind` waits for."""
        if isinstance(self._limiters, RateLimiter):
            return self._limiters
        return self._limiters[kind]
