"""The timer's run a replica need not do: another process synced the pair just now.

Every replica keeps a timer for every pair, at the same offsets (app.core.schedule.start_offsets), and
every run is a whole reconcile (the whole board and the whole tab are read). Without this rule two replicas
reconciled every pair twice a period: the second run, refused while the first held the lease, ran a
second later, read both sides again and found nothing to do (the scale bench's reads per account doubled
with the second replica). As Home Assistant's coordinator serves a refresh request with data that is
still fresh, a timer run is skipped when a successful run started within the last half period, and after
this coordinator was made: what a process missed before it started (webhooks while it was down) is only
covered by a run that started later. The run must also be newer than the process's own last success, so
it is another process's: a lone replica never skips, and the replica with the freshest run of its own
keeps its timer, so a webhook missed anywhere is still healed within one period.
"""

from __future__ import annotations

from dataclasses import replace

from app.core.schedule import Health, Schedule

__all__ = ["TIMER_REASONS", "after_skip", "synced_elsewhere", "timer_only"]

# Runs only the timer asked for, start-up included: a process's first run heals what it missed while
# down, and only a run that started after the process did (the `since` below) has healed that too.
TIMER_REASONS = frozenset({"reconcile", "startup"})


def timer_only(reasons: tuple[str, ...]) -> bool:
    """True when only the timer asked for the run (the only runs a fresh run elsewhere can make needless)."""
    return bool(reasons) and all(reason in TIMER_REASONS for reason in reasons)


def synced_elsewhere(
    reasons: tuple[str, ...], synced_at: float | None, *, now: float, since: float, reconcile_every: float
) -> bool:
    """True when a run asked for by the timer alone is not needed (times: epoch s).

    `synced_at` is when the pair's latest successful run started, in any process (None: never); `since`
    is when this coordinator was made, or its own last successful run ended if later (so a run of its own
    never counts). A run asked for by anything else (a webhook, an edit, a person) is always done.
    """
    if synced_at is None or not timer_only(reasons):
        return False
    return synced_at > since and synced_at >= now - reconcile_every / 2


def after_skip(
    h: Health, s: Schedule, *, now: float, synced_at: float, reconcile_every: float
) -> tuple[Health, Schedule]:
    """Health and schedule once a timer run was skipped at `now` for the run that started at `synced_at`.

    Not a run of ours (`runs` unchanged), but the pair is in sync as of that run: `last_success` and
    `last_reconcile` say so; the timer asks again a whole period from now.
    """
    latest = max(h.last_success or synced_at, synced_at)
    h = replace(h, running=False, last_success=latest, last_reconcile=max(h.last_reconcile or latest, latest))
    return h, replace(s, running=False, next_reconcile_at=now + reconcile_every, timer_reason="reconcile")
