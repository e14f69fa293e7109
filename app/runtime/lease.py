"""The run lease around `Syncer.run`: one run per pair at a time across every process sharing the store.

Inside one process the pair's coordinator is single-flight; replicas sharing PostgreSQL, and a
`boardsheet sync` beside the service, are not. Two overlapping runs would plan from the same read and both
write (a card appended twice, a row deleted twice), so a run holds the pair's lease in the store from
before its reads until after its run is saved.

A crashed holder must not stall its pair, and a live one must never be overtaken:
- the lease row has a short TTL, renewed by a heartbeat thread every TTL/3 while the run lasts;
- on PostgreSQL the run also holds the pair's session-level advisory lock, which the server drops when
  the holder's connection closes (a SIGKILL included): whoever gets that lock takes the row over at once;
- on SQLite (one machine) a holder whose process is gone is taken over at once (app.runtime.holders).
A holder that lost its lease (its heartbeat stalled past the TTL, or its session died) finds out before
it writes: `Lease.ensure_held()` raises LeaseLost and the run writes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from app.errors import LeaseLost, PairBusy, StoreError
from app.runtime.holders import holder_is_dead, holder_name, parse
from app.store.session_lock import SessionLock
from app.store.store import Store

__all__ = ["LEASE_TTL", "Lease", "announcing_leases", "holder_id", "pair_lease"]

log = logging.getLogger(__name__)

# A live holder renews every TTL/3, so two missed heartbeats still keep it; a holder that is gone without
# a trace this process can see (another machine's SQLite is unsupported; an unreachable store) frees the
# pair after this long at most.
LEASE_TTL = timedelta(seconds=30)

Clock = Callable[[], float]

# Told when a lease is taken in this thread: a coordinator's wait for another process's run ends right
# then, not when its own run (which may last minutes) ends. A context variable, so the run needs no hook.
_on_taken: ContextVar[Callable[[], None] | None] = ContextVar("on_lease_taken", default=None)


def holder_id() -> str:
    """A lease holder's name, unique per run: host, process, boot, start time and a fresh random id."""
    return holder_name()


def _lock_holder(holder: str) -> bool:
    """True for a holder of this version's shape: it held the session lock we now hold, so it is gone.

    A holder of an older version (`host:pid:random`, no session lock) keeps its lease until it lapses.
    """
    return parse(holder) is not None


class Lease:
    """One run's hold on one pair: `take()`, a heartbeat while held, `ensure_held()`, `release()`."""

    def __init__(
        self, store: Store, pair: str, ttl: timedelta = LEASE_TTL, *, clock: Clock = time.monotonic
    ) -> None:
        self.store, self.pair, self.ttl = store, pair, ttl
        self.holder = holder_id()
        self._clock = clock
        self._session: SessionLock | None = None
        self._held_until = 0.0  # clock reading; past it, without a renewal, the lease may be someone else's
        self._lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.beats = 0  # successful renewals (for tests and the logs)
        self._extra = {"pair": pair}

    def take(self) -> bool:
        """Take the lease now, without waiting; False if a live holder has it. StoreError on outages."""
        # The heartbeat pings the session every TTL/3: two TTLs without one means the holder hung.
        self._session = self.store.session_lock(self.pair, idle_timeout=2 * self.ttl.total_seconds())
        if self._session is not None and not self._session.take():
            self._session = None
            return False
        # Holding the session lock proves every other lock-taking holder gone: a live one would hold it.
        dead = _lock_holder if self._session is not None else holder_is_dead
        started = self._clock()
        try:
            taken = self.store.acquire_lease(self.pair, self.holder, self.ttl, dead=dead)
        except BaseException:
            self._drop_session()
            raise
        if not taken:
            self._drop_session()
            return False
        self._held_until = started + self.ttl.total_seconds()
        return True

    def beat(self) -> bool:
        """Renew the lease once; False once it is lost (taken over, or the session lock gone)."""
        if self._lost:
            return False
        started = self._clock()
        try:
            renewed = self.store.renew_lease(self.pair, self.holder, self.ttl)
        except StoreError as exc:  # an outage: the lease may still be ours until it lapses
            log.warning("pair %s: could not renew the run lease: %s", self.pair, exc, extra=self._extra)
            return True
        if not renewed or (self._session is not None and not self._session.alive()):
            self._lost = True
            log.warning("pair %s: the run lease was lost", self.pair, extra=self._extra)
            return False
        self._held_until = started + self.ttl.total_seconds()
        self.beats += 1
        return True

    def held(self) -> bool:
        """Whether the lease is surely still ours: not lost, and renewed within the TTL."""
        return not self._lost and self._clock() < self._held_until

    def ensure_held(self) -> None:
        """Raise LeaseLost unless the lease is surely still ours (call before writing)."""
        if not self.held():
            raise LeaseLost(self.pair)

    def start_heartbeat(self, interval: float | None = None) -> None:
        """Renew the lease every `interval` s (TTL/3 by default) in a daemon thread until `release()`."""
        every = interval if interval is not None else self.ttl.total_seconds() / 3

        def loop() -> None:
            while not self._stop.wait(every) and self.beat():
                pass

        self._thread = threading.Thread(target=loop, name=f"lease-{self.pair}", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Stop the heartbeat and give the lease back; never raises (an unreleased row lapses)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            if not self._lost:
                self.store.release_lease(self.pair, self.holder)
        except StoreError as exc:
            # The run's own outcome (or error) matters more; an unreleased lease lapses after the TTL.
            log.warning("pair %s: could not release the run lease: %s", self.pair, exc, extra=self._extra)
        finally:
            self._drop_session()

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.release()


@contextmanager
def pair_lease(store: Store, pair: str, ttl: timedelta = LEASE_TTL) -> Iterator[Lease]:
    """Hold the pair's lease for the block, heartbeat included; PairBusy, before anything, if held."""
    lease = Lease(store, pair, ttl)
    if not lease.take():
        raise PairBusy(pair)
    lease.start_heartbeat()
    try:
        announce = _on_taken.get()
        if announce is not None:
            announce()
        yield lease
    finally:
        lease.release()


@contextmanager
def announcing_leases(on_taken: Callable[[], None]) -> Iterator[None]:
    """Call `on_taken` each time `pair_lease` takes a lease in this block (in this thread)."""
    token = _on_taken.set(on_taken)
    try:
        yield
    finally:
        _on_taken.reset(token)
