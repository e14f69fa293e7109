"""A coordinator's bookkeeping: its pair's schedule and health under one lock (backoff, waiting, pauses)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from app.core.error_text import describe_error
from app.core.schedule import (
    Health,
    Schedule,
    after_run,
    next_run_at,
    put_back,
    requested,
    taken,
)
from app.core.synced_elsewhere import after_skip, synced_elsewhere
from app.errors import PairBusy

__all__ = ["Bookkeeping", "Taken"]

log = logging.getLogger("app.runtime.coordinator")  # the coordinator's lines, whichever module says them

Taken = tuple[tuple[str, ...], float | None]  # a run's reasons, and since when a webhook has asked for it


class Bookkeeping:
    """One pair's schedule and health under the condition its worker waits on; every change wakes it."""

    def __init__(
        self,
        name: str,
        schedule: Schedule,
        clock: Callable[[], float],
        *,
        backoff: tuple[float, float],
        reconcile_every: float,
    ) -> None:
        self.name = name
        self.cond = threading.Condition()
        self.schedule = schedule
        self.health = Health(name=name, paused=schedule.paused)
        self._clock = clock
        self._backoff = backoff
        self._reconcile_every = reconcile_every
        self.pause_version = 0  # bumped by every local pause/resume, so a stale shared read loses

    def request(self, reason: str, *, force: bool = False) -> None:
        """Note a request for a run ("webhook", "reconcile", ...); `force` skips debounce and backoff."""
        with self.cond:
            now = self._clock()
            self.schedule = requested(self.schedule, reason, now, force=force)
            self.health = replace(self.health, last_request=now, last_request_reason=reason)
            self.cond.notify_all()

    def set_paused(self, paused: bool) -> None:
        """Pause or resume here; a shared flag read before this no longer counts (`pause_version`)."""
        with self.cond:
            self.pause_version += 1
            self.schedule = replace(self.schedule, paused=paused)
            self.health = replace(self.health, paused=paused)
            self.cond.notify_all()

    def defer_startup(self, offset: float) -> None:
        """Make the timer's first run the start-up run, `offset` seconds from now."""
        with self.cond:
            at = self._clock() + offset
            self.schedule = replace(self.schedule, next_reconcile_at=at, timer_reason="startup")
            self.cond.notify_all()

    def snapshot(self) -> Health:
        """The pair's health now, `next_run_at` included."""
        with self.cond:
            return replace(
                self.health,
                next_run_at=next_run_at(self.schedule),
                next_reconcile_at=self.schedule.next_reconcile_at,
            )

    def take_due(self) -> Taken | None:
        """Claim the pending requests when a run is due now; None when none is."""
        with self.cond:
            now = self._clock()
            due = next_run_at(self.schedule)
            if due is None or due > now:
                return None
            self.schedule, reasons, webhook_since = taken(self.schedule, now)
            self.health = replace(self.health, running=True, last_run_started=now, last_run_reasons=reasons)
            return reasons, webhook_since

    def retry_later(self, reasons: tuple[str, ...], webhook_since: float | None, busy: PairBusy) -> None:
        """Ask again, after the debounce, for the run another process kept us from; note since when.

        One log line when the waiting starts (and one when it ends, `stop_waiting`), not one per attempt.
        """
        with self.cond:
            now = self._clock()
            started = self.health.waiting_since is None
            self.schedule = put_back(self.schedule, reasons, webhook_since, now, self._reconcile_every)
            since = now if started else self.health.waiting_since
            self.health = replace(self.health, running=False, waiting_since=since)
            self.cond.notify_all()
        if started:
            log.info(
                "pair %s: waiting for another process's run (%s)", self.name, busy, extra={"pair": self.name}
            )

    def skip_if_synced(self, reasons: tuple[str, ...], synced_at: float | None, since: float) -> bool:
        """Skip a claimed timer run a fresh run elsewhere made needless (synced_elsewhere.py); True if so.

        A failing pair never skips: whether its own path works again is what its next run must find out.
        A pair waiting for another process's run stops waiting: that run is what synced it. Only a run
        newer than this process's own last success counts (`since`): one replica alone never skips, and
        of two, the one whose run is freshest keeps reconciling, so a missed webhook is still healed
        within one period.
        """
        with self.cond:
            now = self._clock()
            every = self._reconcile_every
            since = max(since, self.health.last_success or since)
            if (
                synced_at is None
                or self.health.consecutive_failures
                or not synced_elsewhere(reasons, synced_at, now=now, since=since, reconcile_every=every)
            ):
                return False
            self.health, self.schedule = after_skip(
                self.health,
                self.schedule,
                now=now,
                synced_at=synced_at,
                reconcile_every=every,
            )
            self.cond.notify_all()
        log.debug(
            "pair %s: timer run skipped, synced just now by another run", self.name, extra={"pair": self.name}
        )
        self.stop_waiting()
        return True

    def queued(self) -> None:
        """The claimed run waits for a run slot (every one of the process's is taken): not running yet."""
        with self.cond:
            self.health = replace(self.health, running=False, queued_since=self._clock())

    def slot_taken(self) -> None:
        """The claimed run got its slot and starts now (its start is when it runs, not when it was due)."""
        with self.cond:
            now = self._clock()
            self.health = replace(self.health, running=True, last_run_started=now, queued_since=None)

    def give_back(self, reasons: tuple[str, ...], webhook_since: float | None) -> None:
        """Return a claimed run that never started (stopped while waiting for a run slot): asked again."""
        with self.cond:
            self.schedule = put_back(
                self.schedule, reasons, webhook_since, self._clock(), self._reconcile_every
            )
            self.health = replace(self.health, running=False, queued_since=None)
            self.cond.notify_all()

    def stop_waiting(self) -> None:
        """End a wait for another process's run (a run of ours got the lease), with one log line."""
        with self.cond:
            since = self.health.waiting_since
            if since is None:
                return
            self.health = replace(self.health, waiting_since=None)
            waited = self._clock() - since
        log.info(
            "pair %s: stopped waiting for another process's run after %.0f s",
            self.name,
            waited,
            extra={"pair": self.name},
        )

    def finish(
        self, error: Exception | None, reasons: tuple[str, ...], *, synced: bool
    ) -> tuple[int, Health]:
        """Update health, backoff and timer after a run; returns the failures before it and the new health."""
        with self.cond:
            before = self.health.consecutive_failures
            self.health, self.schedule = after_run(
                self.health,
                self.schedule,
                now=self._clock(),
                error=None if error is None else describe_error(error),
                reasons=reasons,
                backoff=self._backoff,
                reconcile_every=self._reconcile_every,
                synced=synced,
            )
            self.cond.notify_all()
            return before, self.health
