"""The pure scheduling rules: when the next run is due, how long to back off, errors in plain words."""

from __future__ import annotations

import pytest

from app.core.schedule import Schedule, backoff_delay, describe_error, next_run_at
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
