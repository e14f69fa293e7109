"""The shared retry policy, with a recording sleep (nothing really waits)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from connectors.retrying import is_retryable_status, parse_retry_after, retry_policy


class Failure(Exception):
    """A failed attempt with an HTTP-like status and an optional Retry-After."""

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def retryable(exc: BaseException) -> bool:
    return isinstance(exc, Failure) and is_retryable_status(exc.status)


def asked_wait(exc: BaseException) -> float | None:
    return exc.retry_after if isinstance(exc, Failure) else None


class Flaky:
    """Raises the given failures in order, then returns "ok"."""

    def __init__(self, *failures: Failure) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


@pytest.mark.parametrize(("status", "expected"), [(429, True), (500, True), (503, True), (599, True)])
def test_429_and_5xx_are_retryable(status: int, expected: bool) -> None:
    assert is_retryable_status(status) is expected


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 409, 410, 422])
def test_other_statuses_are_not_retryable(status: int) -> None:
    assert is_retryable_status(status) is False


def test_retries_429_and_5xx_until_success() -> None:
    sleeps: list[float] = []
    call = Flaky(Failure(429), Failure(503), Failure(500))
    assert retry_policy(retryable, 60, sleep=sleeps.append)(call) == "ok"
    assert call.calls == 4
    assert len(sleeps) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_never_retries_other_4xx(status: int) -> None:
    sleeps: list[float] = []
    call = Flaky(Failure(status))
    with pytest.raises(Failure) as raised:
        retry_policy(retryable, 60, sleep=sleeps.append)(call)
    assert raised.value.status == status
    assert call.calls == 1
    assert sleeps == []


def test_backoff_is_jittered_exponential_and_capped() -> None:
    sleeps: list[float] = []
    call = Flaky(*[Failure(503) for _ in range(8)])
    retry_policy(retryable, 1000, initial=1.0, maximum=10.0, sleep=sleeps.append)(call)
    assert len(sleeps) == 8
    for attempt, slept in enumerate(sleeps, start=1):
        assert 0 <= slept <= min(10.0, 2.0**attempt)


def test_total_sleep_stays_within_the_budget_then_reraises_the_last_failure() -> None:
    sleeps: list[float] = []
    call = Flaky(*[Failure(429) for _ in range(10_000)])
    with pytest.raises(Failure) as raised:
        retry_policy(retryable, 5.0, initial=1.0, maximum=2.0, sleep=sleeps.append)(call)
    assert raised.value.status == 429
    assert sum(sleeps) <= 5.0
    assert call.calls == len(sleeps) + 1


def test_zero_budget_means_a_single_attempt() -> None:
    call = Flaky(Failure(503))
    with pytest.raises(Failure):
        retry_policy(retryable, 0.0, sleep=lambda _s: None)(call)
    assert call.calls == 1


def test_honours_retry_after_over_a_shorter_backoff() -> None:
    sleeps: list[float] = []
    call = Flaky(Failure(429, retry_after=7.0))
    policy = retry_policy(
        retryable, 60, retry_after=asked_wait, initial=0.01, maximum=0.1, sleep=sleeps.append
    )
    assert policy(call) == "ok"
    assert sleeps == [7.0]


def test_a_retry_after_beyond_the_budget_stops_at_once() -> None:
    sleeps: list[float] = []
    call = Flaky(Failure(429, retry_after=120.0))
    with pytest.raises(Failure):
        retry_policy(retryable, 30, retry_after=asked_wait, sleep=sleeps.append)(call)
    assert sleeps == []


def test_retries_are_logged_with_the_described_failure(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="connectors.retrying")
    call = Flaky(Failure(503))
    retry_policy(retryable, 60, describe=lambda exc: "the thing failed", sleep=lambda _s: None)(call)
    assert "the thing failed" in caplog.text
    assert "HTTP 503" not in caplog.text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "12"}, 12.0),
        ({"retry-after": " 3 "}, 3.0),
        ({"Retry-After": "Wed, 25 Nov 2026 12:00:30 GMT"}, 30.0),
        ({"Retry-After": "Wed, 25 Nov 2026 11:00:00 GMT"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    def now() -> datetime:
        return datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)

    assert parse_retry_after(headers, now=now) == expected
