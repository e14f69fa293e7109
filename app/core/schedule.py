"""A pair's health as data, and the pure rules the coordinator schedules by (backoff, next run).

A failure in plain words is app/core/error_text.py: a sync needs it, not these (issue 13: its start-up).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "Health",
    "Schedule",
    "after_run",
    "backoff_delay",
    "next_run_at",
    "put_back",
    "requested",
    "start_offsets",
    "taken",
]


@dataclass(frozen=True)
class Health:
    """What the status page, /status, /readyz and metrics need to know about one pair (times: epoch s)."""

    name: str
    last_success: float | None = None
    last_error: str | None = None  # plain words, never a secret
    last_error_at: float | None = None
    consecutive_failures: int = 0
    last_run_started: float | None = None
    last_run_finished: float | None = None
    last_run_reasons: tuple[str, ...] = ()
    last_reconcile: float | None = None  # the last successful run not asked for by webhooks alone
    last_request: float | None = None
    last_request_reason: str | None = None
    running: bool = False
    paused: bool = False
    next_run_at: float | None = None
    next_reconcile_at: float | None = None  # when the timer asks for a run next
    runs: int = 0
    waiting_since: float | None = None  # refused since then because another process runs the pair
    queued_since: float | None = None  # due since then, waiting for one of this process's run slots

    @property
    def healthy(self) -> bool:
        """True unless the latest run failed."""
        return self.consecutive_failures == 0


@dataclass(frozen=True)
class Schedule:
    """The inputs that decide when a pair runs next (clock readings in seconds)."""

    debounce: float
    max_wait: float
    pending_first: float | None = None  # first request not yet served
    pending_last: float | None = None  # latest request not yet served
    force: bool = False  # an explicit "sync now" is pending
    backoff_until: float = 0.0
    next_reconcile_at: float | None = None
    running: bool = False
    paused: bool = False
    reasons: tuple[str, ...] = ()  # why the pending run was asked for, first asked first
    webhook_since: float | None = None  # the first webhook not yet served (for the webhook-to-sheet lag)
    timer_reason: str = (
        "reconcile"  # what the timer's next run is called ("startup" for a deferred first run)
    )


MAX_REASONS = 10
# Runs asked for by a change signal (Trello webhook, Drive push, edit hint), not by the timer or a person.
HINT_REASONS = frozenset({"webhook", "drive", "sheet-edit"})


def requested(s: Schedule, reason: str, now: float, *, force: bool = False) -> Schedule:
    """The schedule once a run is asked for at `now` ("webhook", "reconcile", "admin", ...)."""
    reasons = s.reasons if reason in s.reasons or len(s.reasons) >= MAX_REASONS else (*s.reasons, reason)
    first_webhook = now if reason == "webhook" and s.webhook_since is None else s.webhook_since
    return replace(
        s,
        pending_first=now if s.pending_first is None else s.pending_first,
        pending_last=now,
        force=s.force or force,
        reasons=reasons,
        webhook_since=first_webhook,
    )


def taken(s: Schedule, now: float) -> tuple[Schedule, tuple[str, ...], float | None]:
    """Claim the pending requests for a run starting at `now`: (schedule, reasons, webhook_since)."""
    reasons = s.reasons
    timer_due = s.next_reconcile_at is not None and s.next_reconcile_at <= now
    if timer_due and s.timer_reason not in reasons:
        reasons = (*reasons, s.timer_reason)  # the timer is due too, whatever else asked
    claimed = replace(
        s, pending_first=None, pending_last=None, force=False, running=True, reasons=(), webhook_since=None
    )
    return claimed, reasons or (s.timer_reason,), s.webhook_since


def put_back(
    s: Schedule, reasons: tuple[str, ...], webhook_since: float | None, now: float, reconcile_every: float
) -> Schedule:
    """The schedule when a claimed run could not start (another process holds the pair): ask again."""
    merged = tuple(dict.fromkeys(reasons + s.reasons))[:MAX_REASONS]
    # The webhook that asked for the busy run came before any asking since: its time wins.
    since = webhook_since if webhook_since is not None else s.webhook_since
    # The retry carries the timer's reason, so a due timer must not also fire at once.
    return replace(
        s,
        running=False,
        pending_first=now,
        pending_last=now,
        reasons=merged,
        webhook_since=since,
        next_reconcile_at=now + reconcile_every,
        timer_reason="reconcile",
    )


def next_run_at(s: Schedule) -> float | None:
    """When the next run should start; None while a run is in flight, when paused, or with nothing to do."""
    if s.running or s.paused:
        return None
    candidates: list[float] = []
    if s.pending_first is not None and s.pending_last is not None:
        if s.force:
            # "Sync now" skips both the debounce and the backoff.
            candidates.append(s.pending_last)
        else:
            settled = min(s.pending_last + s.debounce, s.pending_first + s.max_wait)
            candidates.append(max(settled, s.backoff_until))
    if s.next_reconcile_at is not None:
        candidates.append(max(s.next_reconcile_at, s.backoff_until))
    return min(candidates) if candidates else None


def after_run(
    h: Health,
    s: Schedule,
    *,
    now: float,
    error: str | None,
    reasons: tuple[str, ...],
    backoff: tuple[float, float],
    reconcile_every: float,
    synced: bool = True,
) -> tuple[Health, Schedule]:
    """Health and schedule once a run asked for by `reasons` ended at `now`, failing with `error` or not.

    A run that neither failed nor synced (`synced` False: its plan was held for approval) is no failure,
    but it did not update the sheet either: `last_success` and `last_reconcile` stay as they were.
    """
    h = replace(h, running=False, last_run_finished=now, runs=h.runs + 1)
    backoff_until, retry_at = 0.0, now + reconcile_every
    if error is None and not synced:
        h = replace(h, consecutive_failures=0)
    elif error is None:
        h = replace(h, last_success=now, consecutive_failures=0)
        if any(reason not in HINT_REASONS for reason in reasons):
            # Asked for by the timer, startup or a person, not only by webhooks: a reconcile.
            h = replace(h, last_reconcile=now)
    else:
        failures = h.consecutive_failures + 1
        h = replace(h, last_error=error, last_error_at=now, consecutive_failures=failures)
        # Retry by itself once the backoff ends: the change that failed must not wait for the timer.
        backoff_until = retry_at = now + min(backoff_delay(failures, *backoff), reconcile_every)
    return h, replace(
        s, running=False, backoff_until=backoff_until, next_reconcile_at=retry_at, timer_reason="reconcile"
    )


# The most start-up may put between two pairs' first runs: a run reads once and writes once, and Google's
# 60 reads and 60 writes a minute per service account allow one run a second per account.
START_GAP = 1.0


def start_offsets(periods: Iterable[tuple[str, float]], *, gap: float = START_GAP) -> dict[str, float]:
    """Each pair's delay in seconds before its first run, from (pair name, reconcile_every seconds) pairs.

    Deterministic (no randomness): pairs are ranked by a hash of their name and spaced evenly, so no two
    start on the same second while the spacing allows it. The spacing is the pair's `reconcile_every`
    shared by all pairs, at most `gap`: 200 pairs every 300 s start one a second (the last after 199 s);
    every later timer keeps that phase, so the reconciles stay spread and each pair still runs once an
    interval (none starves). The first pair starts at once.
    """
    items = sorted(periods, key=lambda item: (hashlib.sha256(item[0].encode()).digest(), item[0]))
    count = len(items)
    return {name: rank * min(gap, period / count) for rank, (name, period) in enumerate(items)}


def backoff_delay(failures: int, base: float, cap: float) -> float:
    """Seconds to hold off after `failures` consecutive failures: base, 2*base, 4*base, ... up to `cap`."""
    if failures <= 0:
        return 0.0
    return float(min(cap, base * 2.0 ** min(failures - 1, 32)))
