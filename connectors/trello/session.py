"""The HTTP layer under py-trello: URL rewriting, retries, client-side rate limiting and request counting."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from connectors.errors import what_happened
from connectors.limits import RateLimiter, shared_limiter
from connectors.metering import Meter, Observer
from connectors.retrying import is_retryable_status, parse_retry_after, retry_policy

logger = logging.getLogger(__name__)

TRELLO_HOSTS = ("https://api.trello.com", "https://trello.com")
# Trello counts 10 s windows on arrival; a little slack keeps latency jitter from tipping us over.
TRELLO_PERIOD = 10.5
# Below this many remaining calls in any x-rate-limit-* window we pace ourselves one average slot apart.
LOW_REMAINING = 5


def trello_limiter(token: str, api_url: str | None, max_calls: int) -> RateLimiter:
    """The one limiter of a token on an API (Trello counts per token, whoever sends the requests)."""
    return shared_limiter(token, api_url or TRELLO_HOSTS[0], max_calls, TRELLO_PERIOD)


class TrelloAuth(requests.auth.AuthBase):
    """Trello's documented header `Authorization: OAuth oauth_consumer_key="...", oauth_token="..."`.

    Used instead of py-trello's OAuth1 signing, whose libraries log the key and token at DEBUG level.
    """

    def __init__(self, api_key: str, token: str) -> None:
        self._header = f'OAuth oauth_consumer_key="{api_key}", oauth_token="{token}"'

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    def __repr__(self) -> str:
        return "TrelloAuth(***)"


class _MaskTokenPaths(logging.Filter):
    """Masks the token in request lines urllib3 logs at DEBUG (webhook paths embed it)."""

    _pattern = re.compile(r"(/tokens/)[^/?\s\"]+|((?:key|token)=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = self._pattern.sub(lambda m: (m.group(1) or m.group(2)) + "***", str(record.msg))
        return True


def mask_urllib3_request_lines() -> None:
    """Install the token mask on urllib3's connection-pool logger, once per process."""
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _MaskTokenPaths) for f in pool_logger.filters):
        pool_logger.addFilter(_MaskTokenPaths())


class RetryableStatus(Exception):
    """An HTTP answer worth retrying (429 or 5xx); carries the response."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _should_retry(exc: BaseException) -> bool:
    return isinstance(exc, RetryableStatus | requests.ConnectionError | requests.Timeout)


def _should_retry_write(exc: BaseException) -> bool:
    """A write (POST, PUT, DELETE): retry only when it surely was not applied: throttled, or never connected.

    A read timeout, a reset or a 5xx may come after Trello created the card or webhook, or changed the
    card: sending a PUT again could undo a teammate's change made in between, and costs a second action.
    """
    if isinstance(exc, RetryableStatus):
        return exc.response.status_code == 429
    return isinstance(exc, requests.exceptions.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError) and isinstance(_root(exc), ConnectionRefusedError)
    )


def _root(exc: BaseException) -> BaseException:
    """The innermost cause or context of an exception chain (requests wraps urllib3 wraps OSError)."""
    seen = {id(exc)}
    while True:
        inner = exc.__cause__ or exc.__context__ or next(iter(exc.args[:1]), None)
        if not isinstance(inner, BaseException) or id(inner) in seen:
            return exc
        seen.add(id(inner))
        exc = inner


def _retry_after(exc: BaseException) -> float | None:
    if isinstance(exc, RetryableStatus):
        return parse_retry_after(exc.response.headers)
    return None


def _describe(exc: BaseException) -> str:
    """A secret-free account of a failed attempt (requests' own exception texts contain the URL)."""
    if not isinstance(exc, RetryableStatus):
        return what_happened(exc)
    request = exc.response.request
    return f"{exc} for {request.method} {_safe_path(request.url or '')}"


def pacing_delay(headers: Mapping[str, str]) -> float:
    """Seconds to pause when an `x-rate-limit-*-remaining` header says a window is nearly used up."""
    delay = 0.0
    lowered = {name.lower(): value for name, value in headers.items()}
    for name, value in lowered.items():
        if not (name.startswith("x-rate-limit-") and name.endswith("-remaining")):
            continue
        prefix = name.removesuffix("-remaining")
        try:
            remaining = int(value)
            maximum = int(lowered[f"{prefix}-max"])
            interval = int(lowered[f"{prefix}-interval-ms"]) / 1000
        except (KeyError, ValueError):
            continue
        if remaining < LOW_REMAINING and maximum > 0:
            delay = max(delay, interval / maximum * (LOW_REMAINING - remaining))
    return delay


class TrelloSession(requests.Session):
    """A requests.Session for py-trello: rewrites Trello's hosts to `api_url`, limits, retries and counts."""

    def __init__(
        self,
        limiter: RateLimiter,
        *,
        api_url: str | None = None,
        retry_seconds: float = 60.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        observer: Observer | None = None,
    ) -> None:
        super().__init__()
        self.api_url = api_url.rstrip("/") if api_url else None
        self.retry_seconds = retry_seconds
        self.timeout = timeout
        self._meter = Meter("trello", limiter, observer)
        self._sleep = sleep

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._meter.requests_made

    @property
    def api_name(self) -> str:
        """The API and host requests go to, for messages: "Trello API at https://api.trello.com"."""
        return f"Trello API at {self.api_url or TRELLO_HOSTS[0]}"

    def rewrite(self, url: str) -> str:
        """Point a Trello URL at `api_url` (an emulator) when one is set."""
        if self.api_url is None:
            return url
        for host in TRELLO_HOSTS:
            if url == host or url.startswith(host + "/"):
                return self.api_url + url[len(host) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send with retries; after the budget is spent, return the last 429/5xx response as is."""
        target = self.rewrite(url.decode() if isinstance(url, bytes) else url)
        # py-trello sets no timeout; without one a silent server would hang a run forever.
        kwargs.setdefault("timeout", self.timeout)
        is_read = (method.decode() if isinstance(method, bytes) else method).upper() in ("GET", "HEAD")
        policy = retry_policy(
            _should_retry if is_read else _should_retry_write,
            self.retry_seconds,
            retry_after=_retry_after,
            describe=_describe,
            sleep=self._sleep,
            api=self.api_name,
        )
        try:
            return policy(self._attempt, method, target, *args, **kwargs)
        except RetryableStatus as exc:
            return exc.response

    def _attempt(self, method: str | bytes, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        """One limited, counted request; raises RetryableStatus for 429/5xx."""
        self._meter.admit()
        response = self._observed(method, url, *args, **kwargs)
        if is_retryable_status(response.status_code):
            # The retry policy's backoff (or Retry-After) does the waiting for these.
            logger.debug("Trello answered %d for %s %s", response.status_code, method, _safe_path(url))
            raise RetryableStatus(response)
        delay = pacing_delay(response.headers)
        if delay > 0:
            logger.info("Trello rate-limit window nearly used; pausing %.2f s", delay)
            self._meter.hold(delay)
        return response

    def _observed(self, method: str | bytes, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        """One plain request, its status (0 when it got no response) told to the observer."""
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException:
            self._meter.observe(0)
            raise
        self._meter.observe(response.status_code)
        return response


def _safe_path(url: str) -> str:
    """The URL's path with anything token-shaped masked (webhook paths embed the token)."""
    parts = urlsplit(url).path.split("/")
    return "/".join("***" if i > 0 and parts[i - 1] == "tokens" else p for i, p in enumerate(parts))
