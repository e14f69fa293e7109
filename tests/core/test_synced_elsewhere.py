"""A timer run is skipped only when a successful run started within half a period and after the
coordinator was made; anything else asked for is always done."""

from __future__ import annotations

import pytest

from app.core.schedule import Health, Schedule
from app.core.synced_elsewhere import after_skip, synced_elsewhere

NOW, MADE, EVERY = 10_000.0, 9_000.0, 300.0


def skips(reasons: tuple[str, ...], synced_at: float | None) -> bool:
    return synced_elsewhere(reasons, synced_at, now=NOW, since=MADE, reconcile_every=EVERY)


def test_a_timer_run_right_after_a_run_elsewhere_is_skipped() -> None:
    assert skips(("reconcile",), NOW - 2)
    assert skips(("reconcile",), NOW - EVERY / 2)  # the edge of the half period
    assert skips(("startup",), NOW - 2)  # two replicas started together: the other's first run covers ours


@pytest.mark.parametrize(
    ("reasons", "synced_at", "why"),
    [
        (("reconcile",), None, "never synced"),
        (("reconcile",), NOW - EVERY / 2 - 1, "older than half a period"),
        (
            ("reconcile",),
            MADE - 1,
            "before this coordinator was made: what it missed while down is not in it",
        ),
        (("webhook", "reconcile"), NOW - 2, "a webhook asked too: its change may be newer than that run"),
        (("startup",), MADE - 1, "a restart: the last run came before this process, not what it missed"),
        (("admin",), NOW - 2, "a person asked"),
        ((), NOW - 2, "no reasons at all"),
    ],
)
def test_everything_else_runs(reasons: tuple[str, ...], synced_at: float | None, why: str) -> None:
    assert not skips(reasons, synced_at), why


def test_a_skip_is_no_run_of_ours_but_the_pair_is_in_sync_as_of_that_run() -> None:
    health = Health("p", last_success=NOW - 400, last_reconcile=NOW - 400, runs=3, running=True)
    schedule = Schedule(
        debounce=1.0, max_wait=5.0, running=True, next_reconcile_at=None, timer_reason="startup"
    )
    h, s = after_skip(health, schedule, now=NOW, synced_at=NOW - 2, reconcile_every=EVERY)
    assert (h.runs, h.running, h.last_success, h.last_reconcile) == (3, False, NOW - 2, NOW - 2)
    assert (s.running, s.next_reconcile_at, s.timer_reason) == (False, NOW + EVERY, "reconcile")
