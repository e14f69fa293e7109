"""One coordinator per pair: single-flight, debounced, periodic runs in a worker thread; health as data.

Modelled on Home Assistant's DataUpdateCoordinator: webhooks, the timer and "sync now" only *request* a run
(`request()` never blocks). Requests within `debounce` seconds coalesce (a continuous stream waits at most
`max_wait`), requests during a run coalesce into one next run, and every `reconcile_every` seconds the timer
asks anyway, healing what a lost webhook missed. Failures back off exponentially; `force=True` skips both.
A run refused with PairBusy (another process holds the pair's lease) is no failure: it is asked again.

When to run is a pure function (`app.core.schedule.next_run_at`): the worker sleeps until then or a
request, and re-reads the epoch clock at least every MAX_SLEEP s. `step()` runs a due run in the
caller's thread, so tests need no waiting. The pause flag lives in the shared store: re-read before
each run and every PAUSE_POLL s, a pause or resume made on any replica reaches them all.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from app.core.error_text import describe_error
from app.core.records import Outcome, PairFlags, RunRecord
from app.core.schedule import (
    Health,
    Schedule,
    after_run,
    next_run_at,
    put_back,
    requested,
    taken,
)
from app.errors import GuardError, PairBusy
from app.runtime.metrics import Metrics
from app.runtime.report import report_run
from app.runtime.tracker import RunTracker

__all__ = ["Coordinator", "Runner"]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
# Runs one pair (Syncer.run): the run's record, or an exception when it failed or was refused.
Runner = Callable[[str], RunRecord]
# Re-check the clock at least this often, so a wall-clock jump never strands a pair.
MAX_SLEEP = 30.0
# How often an idle worker re-reads the shared pause flag (one tiny SELECT per pair and replica).
PAUSE_POLL = 10.0


class Coordinator:
    """Schedules the runs of one pair; `runner(name)` does one reconcile and raises when it fails."""

    def __init__(
        self,
        name: str,
        runner: Runner,
        *,
        debounce: float = 1.0,
        max_wait: float = 5.0,
        reconcile_every: float = 300.0,
        backoff_base: float = 5.0,
        backoff_max: float = 300.0,
        clock: Clock = time.time,
        metrics: Metrics | None = None,
        paused: bool = False,
        paused_source: Callable[[], bool | PairFlags] | None = None,
        pause_poll: float = PAUSE_POLL,
        tracker: RunTracker | None = None,
        start_offset: float = 0.0,
    ) -> None:
        self.name = name
        # Seconds to hold the first run (app.core.schedule.start_offsets), so pairs do not all start at once.
        self._start_offset = start_offset
        self._runner = runner
        self._tracker = tracker
        self._backoff = (backoff_base, backoff_max)
        self._reconcile_every = reconcile_every
        self._clock = clock
        self._metrics = metrics
        # Reads the pause flag every replica shares (as PairFlags: with the newest plan approval too).
        self._paused_source = paused_source
        self._approval_seen: datetime | bool | None = False  # False: nothing read yet
        self._pause_poll = pause_poll
        self._pause_version = 0  # bumped by every local pause/resume, so a stale shared read loses
        self._cond = threading.Condition()
        self._schedule = Schedule(
            debounce=debounce,
            max_wait=max_wait,
            paused=paused,
            next_reconcile_at=clock() + start_offset + reconcile_every,
        )
        self._health = Health(name=name, paused=paused)
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- requests (any thread, never blocking) --------------------------------------------------------

    def request(self, reason: str, *, force: bool = False) -> None:
        """Ask for a run ("webhook", "reconcile", "admin", ...); `force` skips debounce and backoff."""
        with self._cond:
            now = self._clock()
            self._schedule = requested(self._schedule, reason, now, force=force)
            self._health = replace(self._health, last_request=now, last_request_reason=reason)
            self._cond.notify_all()

    def pause(self) -> None:
        """Run nothing until `resume()`; requests are kept and served on resume."""
        self._set_paused(True)

    def resume(self) -> None:
        """Undo `pause()`; anything requested meanwhile (or an overdue timer) runs next."""
        self._set_paused(False)

    def _set_paused(self, paused: bool) -> None:
        with self._cond:
            self._pause_version += 1
            self._schedule = replace(self._schedule, paused=paused)
            self._health = replace(self._health, paused=paused)
            self._cond.notify_all()

    def follow_shared_pause(self) -> None:
        """Re-read the shared flags and follow them; an unreadable flag keeps the current state.

        An approval made elsewhere (another replica, `boardsheet approve`) asks for a run, so the approved
        plan is applied within a poll, not at the next reconcile.
        """
        if self._paused_source is None:
            return
        with self._cond:
            version = self._pause_version
        try:
            shared = self._paused_source()
        except Exception as exc:  # a store outage must not kill the worker; the run will report it
            log.debug("pair %s: cannot read the shared pause flag: %s", self.name, describe_error(exc))
            return
        flags = shared if isinstance(shared, PairFlags) else PairFlags(paused=shared)
        self._follow_approval(flags.approved_at)
        paused = flags.paused
        with self._cond:
            if version != self._pause_version or paused == self._schedule.paused:
                return
        log.info("pair %s %s (shared pause flag)", self.name, "paused" if paused else "resumed")
        self._set_paused(paused)

    def _follow_approval(self, approved_at: datetime | None) -> None:
        """Request a run when a plan of this pair was approved since the last read (not at the first)."""
        seen, self._approval_seen = self._approval_seen, approved_at
        if seen is False or approved_at is None:
            return
        if seen is None or (isinstance(seen, datetime) and approved_at > seen):
            log.info("pair %s: a held plan was approved; running it", self.name, extra={"pair": self.name})
            self.request("approved plan", force=True)

    @property
    def health(self) -> Health:
        """A snapshot of this pair's health, `next_run_at` included."""
        with self._cond:
            return replace(
                self._health,
                next_run_at=next_run_at(self._schedule),
                next_reconcile_at=self._schedule.next_reconcile_at,
            )

    def wait_for_runs(self, count: int, timeout: float | None = None) -> bool:
        """Wait until at least `count` runs have finished since creation; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._health.runs >= count, timeout)

    # -- running -------------------------------------------------------------------------------------

    def step(self) -> bool:
        """Do one run now in the caller's thread if one is due; True if it ran (for tests and the CLI)."""
        self.follow_shared_pause()
        with self._cond:
            now = self._clock()
            due = next_run_at(self._schedule)
            if due is None or due > now:
                return False
            taken = self._take(now)
        self._execute(*taken)
        return True

    def start(self, *, initial_run: bool = True) -> None:
        """Start the worker thread; with `initial_run`, reconcile right away."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name=f"coordinator-{self.name}", daemon=True)
            self._thread.start()
        if initial_run:
            self.request_startup()

    def request_startup(self) -> None:
        """Ask for the start-up run: at once, or after the start offset (seconds) when there is one."""
        if self._start_offset <= 0:
            self.request("startup")
            return
        # A deferred start-up is the timer's first run; a webhook before it simply runs earlier.
        with self._cond:
            at = self._clock() + self._start_offset
            self._schedule = replace(self._schedule, next_reconcile_at=at, timer_reason="startup")
            self._cond.notify_all()

    def request_stop(self) -> None:
        """Tell the worker to exit after the run in flight, without waiting."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the worker after the run in flight (if any) ends; True once the thread has exited."""
        self.request_stop()
        with self._cond:
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            return False
        with self._cond:
            self._thread = None
        return True

    def _loop(self) -> None:
        """The worker: sleep until a run is due (or the pause flag is to be re-read), run; until stopped."""
        while self._sleep_until_due():
            # Before every run and every PAUSE_POLL seconds: a pause made on another replica stops us.
            self.follow_shared_pause()
            with self._cond:
                now = self._clock()
                due = next_run_at(self._schedule)
                if self._stopping or due is None or due > now:
                    continue
                taken = self._take(now)
            self._execute(*taken)

    def _sleep_until_due(self) -> bool:
        """Wait for a due run or the next pause poll; False once stopping."""
        with self._cond:
            poll_at = self._clock() + self._pause_poll if self._paused_source is not None else None
            while not self._stopping:
                now = self._clock()
                wake = min(
                    (t for t in (next_run_at(self._schedule), poll_at) if t is not None),
                    default=now + MAX_SLEEP,
                )
                if wake <= now:
                    return True
                self._cond.wait(min(wake - now, MAX_SLEEP))
            return False

    def _take(self, now: float) -> tuple[tuple[str, ...], float | None]:
        """Claim the pending requests for a run starting at `now` (caller holds the lock)."""
        self._schedule, reasons, webhook_since = taken(self._schedule, now)
        self._health = replace(self._health, running=True, last_run_started=now, last_run_reasons=reasons)
        return reasons, webhook_since

    def _execute(self, reasons: tuple[str, ...], webhook_since: float | None) -> None:
        """Do the run, record its outcome, log and count it; never raises."""
        started = self._clock()
        error: Exception | None = None
        result: RunRecord | None = None
        try:
            result = self._runner(self.name)
        except PairBusy as exc:  # another process is running the pair: no failure, just come back later
            self._retry_later(reasons, webhook_since, exc)
            return
        except Exception as exc:  # any failure of a run is data, not a crash of the worker
            error = exc
        self._stop_waiting()
        if self._tracker is not None:
            self._tracker.ran(self.name, error)
        outcome: Outcome = result.outcome if result is not None else _outcome_of(error)
        before, h = self._finish(error, reasons, synced=outcome in ("ok", "noop"))
        seconds = (h.last_run_finished or started) - started
        report_run(h, outcome, seconds, reasons, before, result, webhook_since, self._metrics)

    def _retry_later(self, reasons: tuple[str, ...], webhook_since: float | None, busy: PairBusy) -> None:
        """Ask again, after the debounce, for the run another process kept us from; note since when.

        One log line when the waiting starts (and one when it ends, `_stop_waiting`), not one per attempt.
        """
        with self._cond:
            now = self._clock()
            started = self._health.waiting_since is None
            self._schedule = put_back(self._schedule, reasons, webhook_since, now, self._reconcile_every)
            since = now if started else self._health.waiting_since
            self._health = replace(self._health, running=False, waiting_since=since)
            self._cond.notify_all()
        if started:
            log.info(
                "pair %s: waiting for another process's run (%s)", self.name, busy, extra={"pair": self.name}
            )

    def _stop_waiting(self) -> None:
        """End a wait for another process's run (a run of ours got the lease), with one log line."""
        with self._cond:
            since = self._health.waiting_since
            if since is None:
                return
            self._health = replace(self._health, waiting_since=None)
            waited = self._clock() - since
        log.info(
            "pair %s: stopped waiting for another process's run after %.0f s",
            self.name,
            waited,
            extra={"pair": self.name},
        )

    def _finish(
        self, error: Exception | None, reasons: tuple[str, ...] = (), *, synced: bool = True
    ) -> tuple[int, Health]:
        """Update health, backoff and timer after a run; returns the failures before it and the new health."""
        with self._cond:
            before = self._health.consecutive_failures
            self._health, self._schedule = after_run(
                self._health,
                self._schedule,
                now=self._clock(),
                error=None if error is None else describe_error(error),
                reasons=reasons,
                backoff=self._backoff,
                reconcile_every=self._reconcile_every,
                synced=synced,
            )
            self._cond.notify_all()
            return before, self._health


def _outcome_of(error: Exception | None) -> Outcome:
    """The outcome of a run that raised: refused by a guard, or failed."""
    return "refused" if isinstance(error, GuardError) else "failed"
