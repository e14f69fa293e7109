"""One coordinator per pair: single-flight, debounced, periodic runs in a worker thread; health as data.

Modelled on Home Assistant's DataUpdateCoordinator: a webhook, the timer and "sync now" all only *request*
a run through `request()`, which never blocks. Requests within `debounce` seconds coalesce (a continuous
stream waits at most `max_wait`), and requests arriving during a run coalesce into exactly one next run.
Every `reconcile_every` seconds the timer requests a run anyway, healing whatever a lost webhook missed.
Failures back off exponentially per pair; `request(..., force=True)` ("sync now") skips debounce and backoff.

When to run is decided by a pure function (`app.health.next_run_at`); the worker thread only sleeps until
that deadline or until a request wakes it. `step()` runs a due run in the caller's thread, so tests drive a
coordinator with a fake clock and no waiting at all. Times are epoch seconds (`time.time`) because health
is shown to people; the worker re-reads the clock at least every MAX_SLEEP seconds, so a clock jump only
shifts one deadline. `wait_for_runs(health.runs + 1)` after a forced request waits for a "sync now".

Global limits: the connectors limit themselves per instance (`connectors.limits.RateLimiter`), so the
service must build ONE SheetsConnector and ONE TrelloConnector per token and share them between every pair's
run; the limiter then bounds all pairs together (60 Sheets requests/minute, 100 Trello requests/10 s/token).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.health import Health, Schedule, backoff_delay, describe_error, next_run_at
from app.metrics import Metrics

__all__ = ["Coordinator"]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
# Re-check the clock at least this often, so a wall-clock jump never strands a pair.
MAX_SLEEP = 30.0
MAX_REASONS = 10


class Coordinator:
    """Schedules the runs of one pair; `run` does one reconcile and raises when it fails."""

    def __init__(
        self,
        name: str,
        run: Callable[[], Any],
        *,
        debounce: float = 1.0,
        max_wait: float = 5.0,
        reconcile_every: float = 300.0,
        backoff_base: float = 5.0,
        backoff_max: float = 300.0,
        clock: Clock = time.time,
        metrics: Metrics | None = None,
        paused: bool = False,
    ) -> None:
        self.name = name
        self._run = run
        self._backoff = (backoff_base, backoff_max)
        self._reconcile_every = reconcile_every
        self._clock = clock
        self._metrics = metrics
        self._cond = threading.Condition()
        self._schedule = Schedule(
            debounce=debounce, max_wait=max_wait, paused=paused, next_reconcile_at=clock() + reconcile_every
        )
        self._health = Health(name=name, paused=paused)
        self._reasons: list[str] = []
        self._webhook_since: float | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- requests (any thread, never blocking) --------------------------------------------------------

    def request(self, reason: str, *, force: bool = False) -> None:
        """Ask for a run ("webhook", "reconcile", "admin", ...); `force` skips debounce and backoff."""
        with self._cond:
            now = self._clock()
            s = self._schedule
            self._schedule = replace(
                s,
                pending_first=now if s.pending_first is None else s.pending_first,
                pending_last=now,
                force=s.force or force,
            )
            if reason not in self._reasons and len(self._reasons) < MAX_REASONS:
                self._reasons.append(reason)
            if reason == "webhook" and self._webhook_since is None:
                self._webhook_since = now
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
            self._schedule = replace(self._schedule, paused=paused)
            self._health = replace(self._health, paused=paused)
            self._cond.notify_all()

    @property
    def health(self) -> Health:
        """A snapshot of this pair's health, `next_run_at` included."""
        with self._cond:
            return replace(self._health, next_run_at=next_run_at(self._schedule))

    def wait_for_runs(self, count: int, timeout: float | None = None) -> bool:
        """Wait until at least `count` runs have finished since creation; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._health.runs >= count, timeout)

    # -- running -------------------------------------------------------------------------------------

    def step(self) -> bool:
        """Do one run now in the caller's thread if one is due; True if it ran (for tests and the CLI)."""
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
            self.request("startup")

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
        """The worker: sleep until the next deadline or a request, then run; until stopped."""
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        return
                    now = self._clock()
                    due = next_run_at(self._schedule)
                    if due is not None and due <= now:
                        break
                    self._cond.wait(MAX_SLEEP if due is None else min(due - now, MAX_SLEEP))
                taken = self._take(now)
            self._execute(*taken)

    def _take(self, now: float) -> tuple[tuple[str, ...], float | None]:
        """Claim the pending requests for a run starting at `now` (caller holds the lock)."""
        reasons = tuple(self._reasons) or ("reconcile",)
        webhook_since = self._webhook_since
        self._reasons, self._webhook_since = [], None
        self._schedule = replace(
            self._schedule, pending_first=None, pending_last=None, force=False, running=True
        )
        self._health = replace(self._health, running=True, last_run_started=now, last_run_reasons=reasons)
        return reasons, webhook_since

    def _execute(self, reasons: tuple[str, ...], webhook_since: float | None) -> None:
        """Do the run, record its outcome, log and count it; never raises."""
        started = self._clock()
        error: Exception | None = None
        result: Any = None
        try:
            result = self._run()
        except Exception as exc:  # any failure of a run is data, not a crash of the worker
            error = exc
        before, h = self._finish(error)
        seconds = (h.last_run_finished or started) - started
        outcome = "error" if error is not None else getattr(result, "outcome", "ok")
        outcome = outcome if isinstance(outcome, str) else "ok"
        extra = {
            "pair": self.name,
            "outcome": outcome,
            "seconds": round(seconds, 3),
            "reasons": ",".join(reasons),
        }
        log.info("run finished", extra=extra)
        self._log_transition(before, h)
        if self._metrics is not None:
            self._metrics.run(self.name, outcome, seconds)
            self._count_changes(result)
            if error is None and webhook_since is not None and h.last_run_finished is not None:
                self._metrics.lag(self.name, h.last_run_finished - webhook_since)

    def _finish(self, error: Exception | None) -> tuple[int, Health]:
        """Update health, backoff and timer after a run; returns the failures before it and the new health."""
        with self._cond:
            now = self._clock()
            before = self._health.consecutive_failures
            h = replace(self._health, running=False, last_run_finished=now, runs=self._health.runs + 1)
            backoff_until, retry_at = 0.0, now + self._reconcile_every
            if error is None:
                h = replace(h, last_success=now, consecutive_failures=0)
            else:
                failures = before + 1
                h = replace(
                    h, last_error=describe_error(error), last_error_at=now, consecutive_failures=failures
                )
                # Retry by itself once the backoff ends: the change that failed must not wait for the timer.
                delay = min(backoff_delay(failures, *self._backoff), self._reconcile_every)
                backoff_until = retry_at = now + delay
            self._health = h
            self._schedule = replace(
                self._schedule, running=False, backoff_until=backoff_until, next_reconcile_at=retry_at
            )
            self._cond.notify_all()
            return before, h

    def _count_changes(self, result: Any) -> None:
        """Count the rows and cells an `app.sync.RunResult` reports (other results count nothing)."""
        counts = {attr: getattr(result, attr, 0) for attr in ("rows_added", "rows_removed", "cells_changed")}
        if self._metrics is not None and all(isinstance(v, int) for v in counts.values()):
            added, deleted, cells = counts["rows_added"], counts["rows_removed"], counts["cells_changed"]
            self._metrics.changed(self.name, added=added, deleted=deleted, cells=cells)

    def _log_transition(self, failures_before: int, h: Health) -> None:
        """Log once when the pair turns unhealthy and once when it recovers, not on every failed run."""
        if not h.healthy and failures_before == 0:
            log.warning("pair %s is unhealthy: %s", self.name, h.last_error, extra={"pair": self.name})
        elif h.healthy and failures_before > 0:
            log.warning(
                "pair %s recovered after %d failed run(s)",
                self.name,
                failures_before,
                extra={"pair": self.name},
            )
