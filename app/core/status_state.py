"""One pair's state on the status answers (paused, held, failing, waiting, in sync...) and its freshness.

Pure: a function of the pair's facts and the clock.
"""

from __future__ import annotations

from itertools import takewhile

from app.core.status_inputs import PairFacts
from app.core.status_times import ago, clock_time, iso

__all__ = ["freshness", "is_paused", "pair_state", "synced_at"]

FAILING = frozenset({"failed", "refused"})  # run outcomes that leave the sheet behind the board


def synced_at(p: PairFacts) -> float | None:
    """When the sheet was last brought in sync, by this replica or any other sharing the store."""
    times = [t for t in (p.health.last_success if p.health else None, p.last_synced) if t is not None]
    return max(times, default=None)


def freshness(p: PairFacts, now: float) -> str:
    """How fresh the sheet is, in words: "updated 12 s ago" or "never updated"."""
    synced = synced_at(p)
    return f"updated {ago(synced, now)}" if synced is not None else "never updated"


def is_paused(p: PairFacts) -> bool:
    """Paused by the shared flag or in this process."""
    return p.flags.paused or bool(p.health and p.health.paused)


def pair_state(p: PairFacts, now: float) -> tuple[str, str]:
    """(state, summary) of one pair, the most urgent fact first."""
    h = p.health
    if is_paused(p):
        who = f" by {p.flags.paused_by}" if p.flags.paused_by else ""
        why = f" ({p.flags.reason})" if p.flags.reason else ""
        return "paused", f"paused{who}{why}: nothing is synced until it is resumed"
    if p.held:
        return "held", f"waiting for approval: {p.held[0].reason}"
    if h is not None and not h.healthy:
        since = iso(p.failing_since or h.last_error_at) or "the last run"
        return "failing", f"failing since {since}: {h.last_error or 'the last run failed'}"
    if h is None and p.last_run is not None and p.last_run.outcome in FAILING:
        # Where nothing runs (the CLI), the store's runs say it: a refused key column is not "in sync".
        streak = list(takewhile(lambda run: run.outcome in FAILING, p.runs or [p.last_run]))
        first = iso(streak[-1].finished_at.timestamp()) if streak else None
        return (
            "failing",
            f"failing since {first or 'the last run'}: {p.last_run.message or 'the last run failed'}",
        )
    return _running_state(p, now)


def _running_state(p: PairFacts, now: float) -> tuple[str, str]:
    """(state, summary) of a pair neither paused, held nor failing."""
    h = p.health
    if h is not None and h.waiting_since is not None:
        since = clock_time(h.waiting_since, p.timezone)
        return "waiting", f"waiting for another process's run since {since}; {freshness(p, now)}"
    if synced_at(p) is not None:
        return "in_sync", f"in sync, {freshness(p, now)}"
    if h is not None and h.running:
        return "syncing", "first sync running"
    if h is not None and h.queued_since is not None:
        since = clock_time(h.queued_since, p.timezone)
        return "pending", f"first sync due since {since}, waiting for a free run slot (other pairs' runs)"
    return "pending", "not synced yet"
