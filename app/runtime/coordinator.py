"""One coordinator per pair: single-flight, debounced, periodic runs in a worker thread; health as data.

Modelled on Home Assistant's DataUpdateCoordinator: webhooks, the timer and "sync now" only *request* a run
(`request()` never blocks). Requests within `debounce` seconds coalesce (a continuous stream waits at most
`max_wait`), requests during a run coalesce into one next run, and every `reconcile_every` seconds the timer
asks anyway, healing what a lost webhook missed. Failures back off exponentially; `force=True` skips both.
A run refused with PairBusy (another process holds the pair's lease) is no failure: it is asked again;
the pair is waiting from the first refusal until a run of ours takes the lease (not until that run ends).

When to run is a pure function (`app.core.schedule.next_run_at`): the worker sleeps until then or a
request, and re-reads the epoch clock at least every MAX_SLEEP s. `step()` runs a due run in the
caller's thread, so tests need no waiting. The schedule and health are kept in bookkeeping.py; the pause
flag every replica shares is followed by shared_pause.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.core.records import Outcome, PairFlags, RunRecord
from app.core.schedule import Health, Schedule, next_run_at
from app.core.synced_elsewhere import timer_only
from app.errors import GuardError, PairBusy
from app.runtime.bookkeeping import Bookkeeping
from app.runtime.lease import announcing_leases
from app.runtime.metrics import Metrics
from app.runtime.report import report_run
from app.runtime.run_slots import RunSlots
from app.runtime.shared_pause import PAUSE_POLL, SharedPause
from app.runtime.tracker import RunTracker

__all__ = ["Coordinator", "Runner"]

Clock = Callable[[], float]
# Runs one pair (Syncer.run): the run's record, or an exception when it failed or was refused.
Runner = Callable[[str], RunRecord]
# Re-check the clock at least this often, so a wall-clock jump never strands a pair.
MAX_SLEEP = 30.0


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
        slots: RunSlots | None = None,
        synced_source: Callable[[], float | None] | None = None,
    ) -> None:
        self.name = name
        # Seconds to hold the first run (app.core.schedule.start_offsets), so pairs do not all start at once.
        self._start_offset = start_offset
        self._runner = runner
        # The process's run cap, shared by every coordinator (run_slots.py); None runs uncapped (tests, CLI).
        self._slots = slots
        # When the pair's latest successful run started, in any process (epoch s): a timer run right after
        # one is skipped (app.core.synced_elsewhere). None: every run is done (tests, the CLI).
        self._synced_source = synced_source
        self._made_at = clock()
        self._tracker = tracker
        self._clock = clock
        self._metrics = metrics
        schedule = Schedule(
            debounce=debounce,
            max_wait=max_wait,
            paused=paused,
            next_reconcile_at=clock() + start_offset + reconcile_every,
        )
        self._book = Bookkeeping(
            name, schedule, clock, backoff=(backoff_base, backoff_max), reconcile_every=reconcile_every
        )
        self._cond = self._book.cond  # the worker waits on the books' condition: every change wakes it
        # Reads the pause flag every replica shares (as PairFlags: with the newest plan approval too).
        self._shared = SharedPause(self._book, paused_source)
        self._pause_poll = pause_poll
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- requests (any thread, never blocking) --------------------------------------------------------

    def request(self, reason: str, *, force: bool = False) -> None:
        """Ask for a run ("webhook", "reconcile", "admin", ...); `force` skips debounce and backoff."""
        self._book.request(reason, force=force)

    def pause(self) -> None:
        """Run nothing until `resume()`; requests are kept and served on resume."""
        self._book.set_paused(True)

    def resume(self) -> None:
        """Undo `pause()`; anything requested meanwhile (or an overdue timer) runs next."""
        self._book.set_paused(False)

    def follow_shared_pause(self) -> None:
        """Re-read the shared flags and follow them (shared_pause.py); an unreadable flag changes nothing."""
        self._shared.follow()

    @property
    def health(self) -> Health:
        """A snapshot of this pair's health, `next_run_at` included."""
        return self._book.snapshot()

    def wait_for_runs(self, count: int, timeout: float | None = None) -> bool:
        """Wait until at least `count` runs have finished since creation; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._book.health.runs >= count, timeout)

    # -- running -------------------------------------------------------------------------------------

    def step(self) -> bool:
        """Do one run now in the caller's thread if one is due; True if one was due (run, or skipped as
        synced elsewhere), for tests and the CLI."""
        self.follow_shared_pause()
        taken = self._book.take_due()
        if taken is None:
            return False
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
        self._book.defer_startup(self._start_offset)

    def request_stop(self) -> None:
        """Tell the worker to exit after the run in flight, without waiting."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._slots is not None:
            self._slots.wake()  # a worker waiting for a run slot gives up now, not at its next poll

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
            with self._cond:  # reentrant: the books take the same lock
                taken = None if self._stopping else self._book.take_due()
            if taken is not None:
                self._execute(*taken)

    def _sleep_until_due(self) -> bool:
        """Wait for a due run or the next pause poll; False once stopping."""
        with self._cond:
            poll_at = self._clock() + self._pause_poll if self._shared.source is not None else None
            while not self._stopping:
                now = self._clock()
                wake = min(
                    (t for t in (next_run_at(self._book.schedule), poll_at) if t is not None),
                    default=now + MAX_SLEEP,
                )
                if wake <= now:
                    return True
                self._cond.wait(min(wake - now, MAX_SLEEP))
            return False

    def _execute(self, reasons: tuple[str, ...], webhook_since: float | None) -> None:
        """Skip a timer run another run has just done; else take a run slot (if capped) and run.

        Stopped while waiting for a slot, the run is given back unrun.
        """
        # The store is asked only for a timer's run: a webhook's run is always done, and costs no query.
        if (
            self._synced_source is not None
            and timer_only(reasons)
            and self._book.skip_if_synced(reasons, self._synced_source(), self._made_at)
        ):
            if self._metrics is not None:
                self._metrics.skipped(self.name)
            return
        slots = self._slots
        if slots is None:
            self._run(reasons, webhook_since)
            return
        # Before the runner, so no lease (nor its PostgreSQL connection) is held while waiting.
        if not slots.try_acquire():
            self._book.queued()  # shown as queued, not running, while every slot is taken
            if not slots.acquire(reasons, lambda: self._stopping):
                self._book.give_back(reasons, webhook_since)
                return
        self._book.slot_taken()
        try:
            self._run(reasons, webhook_since)
        finally:
            slots.release()

    def _run(self, reasons: tuple[str, ...], webhook_since: float | None) -> None:
        """Do the run, record its outcome, log and count it; never raises."""
        started = self._clock()
        error: Exception | None = None
        result: RunRecord | None = None
        try:
            with announcing_leases(self._book.stop_waiting):  # the wait ends as the lease is taken
                result = self._runner(self.name)
        except PairBusy as exc:  # another process is running the pair: no failure, just come back later
            self._book.retry_later(reasons, webhook_since, exc)
            return
        except Exception as exc:  # any failure of a run is data, not a crash of the worker
            error = exc
        # A run that ended without taking the lease (it failed before; a runner without one) ends it too.
        self._book.stop_waiting()
        if self._tracker is not None:
            self._tracker.ran(self.name, error)
        outcome: Outcome = result.outcome if result is not None else _outcome_of(error)
        before, h = self._book.finish(error, reasons, synced=outcome in ("ok", "noop"))
        seconds = (h.last_run_finished or started) - started
        report_run(h, outcome, seconds, reasons, before, result, webhook_since, self._metrics)


def _outcome_of(error: Exception | None) -> Outcome:
    """The outcome of a run that raised: refused by a guard, or failed."""
    return "refused" if isinstance(error, GuardError) else "failed"
