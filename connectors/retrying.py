"""The shared retry policy: retry what is worth retrying, with jittered exponential backoff, in bounded time.

Both connectors decide *what* is retryable (429, 5xx, connection errors; never another 4xx) with a predicate
over the raised exception, and may pass how long the server asked us to wait (`Retry-After`).
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import tenacity
from tenacity import RetryCallState

logger = logging.getLogger(__name__)

Sleep = Callable[[float], None]
RetryAfter = Callable[[BaseException], float | None]


def is_retryable_status(status: int) -> bool:
    """True for 429 and 5xx: the only HTTP answers worth asking again."""
    return status == 429 or 500 <= status <= 599


def parse_retry_after(headers: Mapping[str, str], now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP-date), or None when absent or unreadable."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = now() if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


class _WaitHonouringRetryAfter(tenacity.wait.wait_base):
    """Jittered exponential backoff, but never shorter than the server's Retry-After."""

    def __init__(self, backoff: tenacity.wait.wait_base, retry_after: RetryAfter) -> None:
        self._backoff = backoff
        self._retry_after = retry_after

    def __call__(self, retry_state: RetryCallState) -> float:
        wait = self._backoff(retry_state)
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None and outcome.failed else None
        asked = self._retry_after(exc) if exc is not None else None
        return max(wait, asked) if asked is not None else wait


class _StopWhenIdleExceeds(tenacity.stop.stop_base):
    """Stop before the total sleep would exceed the budget (bounds the time even with a fake sleep)."""

    def __init__(self, max_delay: float) -> None:
        self._max_delay = max_delay

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + retry_state.upcoming_sleep > self._max_delay


def _no_retry_after(_exc: BaseException) -> float | None:
    return None


def _log_retry(describe: Callable[[BaseException], str], api: str) -> Callable[[RetryCallState], None]:
    """A before_sleep hook logging which API failed and how (`describe` must not reveal secrets)."""

    def before_sleep(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        what = describe(exc) if exc is not None else "a result"
        logger.warning(
            "%sattempt %d failed (%s); retrying in %.2f s",
            f"{api}: " if api else "",
            retry_state.attempt_number,
            what,
            retry_state.upcoming_sleep,
            extra={"api": api} if api else None,
        )

    return before_sleep


def retry_policy(
    should_retry: Callable[[BaseException], bool],
    max_delay: float,
    *,
    retry_after: RetryAfter = _no_retry_after,
    describe: Callable[[BaseException], str] = lambda exc: type(exc).__name__,
    initial: float = 0.5,
    maximum: float = 30.0,
    sleep: Sleep = time.sleep,
    api: str = "",
) -> tenacity.Retrying:
    """A `tenacity.Retrying` retrying exceptions matching `should_retry` for at most `max_delay` seconds.

    The last exception is re-raised once the budget is spent; `describe` renders an exception for the log,
    `api` names the service and host in it ("Trello API at https://api.trello.com").
    """
    backoff = tenacity.wait_random_exponential(multiplier=initial, max=maximum)
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(should_retry),
        wait=_WaitHonouringRetryAfter(backoff, retry_after),
        stop=tenacity.stop_before_delay(max_delay) | _StopWhenIdleExceeds(max_delay),
        sleep=sleep,
        before_sleep=_log_retry(describe, api),
        reraise=True,
    )
