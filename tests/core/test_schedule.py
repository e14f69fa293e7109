"""The pure scheduling rules: when the next run is due, how long to back off, errors in plain words."""

from __future__ import annotations

import pytest

from app.core.error_text import describe_error
from app.core.schedule import (
    Health,
    Schedule,
    after_run,
    backoff_delay,
    next_run_at,
    put_back,
    requested,
    start_offsets,
    taken,
)
from app.errors import EmptySideError


def sched(**kw: object) -> Schedule:
    return Schedule(debounce=1.0, max_wait=5.0, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (sched(), None),
        (sched(next_reconcile_at=300.0), 300.0),
        (sched(pending_first=10.0, pending_last=10.0, next_reconcile_at=300.0), 11.0),
        (sched(pending_first=10.0, pending_last=14.5), 15.0),  # max_wait caps the debounce
        (sched(pending_first=10.0, pending_last=10.0, backoff_until=40.0), 40.0),
        (sched(pending_first=10.0, pending_last=12.0, force=True, backoff_until=40.0), 12.0),
        (sched(next_reconcile_at=30.0, backoff_until=40.0), 40.0),
        (sched(pending_first=10.0, pending_last=10.0, running=True), None),
        (sched(pending_first=10.0, pending_last=10.0, paused=True, next_reconcile_at=1.0), None),
    ],
)
def test_next_run_at(schedule: Schedule, expected: float | None) -> None:
    assert next_run_at(schedule) == expected


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_delay(n, 5.0, 60.0) for n in range(6)] == [0.0, 5.0, 10.0, 20.0, 40.0, 60.0]
    assert backoff_delay(10_000, 5.0, 60.0) == 60.0


def test_errors_are_described_in_plain_words() -> None:
    class RateLimited(Exception):
        pass

    assert describe_error(RateLimited()) == "rate limited"
    assert describe_error(EmptySideError("sheet", 3)).startswith("the sheet side reads back empty")
    assert describe_error(ValueError("a\n  b")) == "a b"
    assert len(describe_error(ValueError("x" * 1000))) == 300


def test_requests_keep_their_reasons_once_and_the_first_webhook_time() -> None:
    s = Schedule(debounce=1.0, max_wait=5.0, next_reconcile_at=500.0)
    for at, reason in ((10.0, "webhook"), (11.0, "admin"), (12.0, "webhook")):
        s = requested(s, reason, at)
    assert (s.pending_first, s.pending_last, s.reasons, s.webhook_since) == (
        10.0,
        12.0,
        ("webhook", "admin"),
        10.0,
    )
    claimed, reasons, since = taken(s, 13.0)
    assert (reasons, since) == (("webhook", "admin"), 10.0)
    assert (claimed.running, claimed.reasons, claimed.webhook_since, claimed.pending_first) == (
        True,
        (),
        None,
        None,
    )


def test_a_due_timer_joins_the_run_and_a_run_nobody_asked_for_is_a_reconcile() -> None:
    s = Schedule(debounce=1.0, max_wait=5.0, next_reconcile_at=100.0)
    assert taken(requested(s, "webhook", 90.0), 101.0)[1] == ("webhook", "reconcile")
    assert taken(s, 101.0)[1] == ("reconcile",)


def test_a_run_put_back_keeps_its_reasons_first_and_pushes_the_timer() -> None:
    s = requested(Schedule(debounce=1.0, max_wait=5.0), "admin", 20.0)
    s = put_back(s, ("webhook",), 5.0, now=21.0, reconcile_every=300.0)
    assert (s.reasons, s.webhook_since, s.running, s.next_reconcile_at) == (
        ("webhook", "admin"),
        5.0,
        False,
        321.0,
    )
    assert next_run_at(s) == 22.0  # after the debounce, not at once


def test_200_pairs_first_runs_spread_over_the_interval_one_a_second() -> None:
    names = [f"team-{i:03}" for i in range(200)]
    offsets = start_offsets((name, 300.0) for name in names)
    seconds = sorted(int(offset) for offset in offsets.values())
    assert seconds == list(range(200))  # never two pairs on the same second, none past the interval
    assert start_offsets((name, 300.0) for name in reversed(names)) == offsets  # by name, not by order


def test_more_pairs_than_seconds_share_the_interval_evenly() -> None:
    offsets = start_offsets((f"p{i}", 60.0) for i in range(120))
    assert sorted(offsets.values()) == [i * 0.5 for i in range(120)]


def test_a_deferred_first_run_is_called_startup_and_later_ones_reconcile() -> None:
    s = sched(next_reconcile_at=7.0, timer_reason="startup")
    claimed, reasons, _ = taken(s, 7.0)
    assert reasons == ("startup",)
    _, after = after_run(
        Health("p"),
        claimed,
        now=8.0,
        error=None,
        reasons=reasons,
        backoff=(5.0, 300.0),
        reconcile_every=300.0,
    )
    assert (after.next_reconcile_at, taken(after, 308.0)[1]) == (308.0, ("reconcile",))
