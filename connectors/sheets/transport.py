"""Under googleapiclient: a fresh authorized HTTP per request, rate limit, retries, error translation."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import google.auth.exceptions
from googleapiclient.errors import HttpError

from connectors.errors import (
    AuthError,
    BadResponse,
    ConnectorError,
    TabNotFound,
    Transient,
    error_for_status,
    unreachable,
    what_happened,
)
from connectors.metering import Limiters, Meter, Observer
from connectors.retrying import is_retryable_status, parse_retry_after, retry_policy
from connectors.sheets.auth import SERVICE, Credentials
from connectors.sheets.limiters import DEFAULT_ENDPOINT
from connectors.sheets.one_shot import write_options

PRODUCTS = {"sheets": "Google Sheets", "drive": "Google Drive"}
# How long we wait for an answer, by kind of request. Google gives up on a Sheets request it has processed
# for 180 s and answers a timeout error ("Behavior and limitations",
# https://developers.google.com/workspace/sheets/api/limits). A write we stopped waiting for sooner may
# still be applied: the run would report a failure for a write that lands. So a write waits past Google's
# limit, its answer's way back included. A read cut off loses nothing (retried, or the next run reads
# again), and a hung connection must not hold a pair's run for minutes: reads keep a short bound. The same
# transport carries Drive's calls, held to the same rule (Drive documents no processing limit of its own).
GOOGLE_PROCESSING_LIMIT = 180.0
WRITE_TIMEOUT = GOOGLE_PROCESSING_LIMIT + 30.0
READ_TIMEOUT = 60.0
UNPARSABLE_RANGE = "Unable to parse range"


@cache
def transport_errors() -> tuple[type[BaseException], ...]:
    """Connection-level failures worth another try (refused, reset, timed out, DNS, a truncated answer).

    httplib2 (with pyparsing, ~0.15 s of imports) loads here, at the first request, not with the
    connector: a command reaches Trello first without it (issue 13: start-up cost).
    """
    import httplib2

    return (OSError, http.client.HTTPException, httplib2.HttpLib2Error, google.auth.exceptions.TransportError)


def _should_retry(exc: BaseException) -> bool:
    if isinstance(exc, google.auth.exceptions.RefreshError):
        # The token endpoint itself was down or throttled (google-auth marks those retryable).
        return bool(getattr(exc, "retryable", False))
    if isinstance(exc, HttpError):
        return is_retryable_status(exc.status_code)
    return isinstance(exc, transport_errors())


def _should_retry_write(exc: BaseException) -> bool:
    """Retry a write only when it surely was not applied: throttled (429), refused, or no token yet.

    A timeout, a reset or a 5xx may come after Google applied the batch; sending it again would delete
    and update rows by position a second time. The next run re-reads both sides instead.
    """
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return bool(getattr(exc, "retryable", False))
    if isinstance(exc, HttpError):
        return bool(exc.status_code == 429)
    return isinstance(exc, ConnectionRefusedError)


def _retry_after(exc: BaseException) -> float | None:
    if isinstance(exc, HttpError):
        return parse_retry_after(exc.resp)
    return None


def _describe(exc: BaseException) -> str:
    # An HttpError's text carries the URL; the status alone is enough for the log.
    return f"HTTP {exc.status_code}" if isinstance(exc, HttpError) else what_happened(exc)


class SheetsTransport:
    """Executes googleapiclient requests: one limited, counted attempt at a time, retried within a budget."""

    def __init__(
        self,
        credentials: Credentials,
        limiters: Limiters,
        *,
        retry_seconds: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        observer: Observer | None = None,
        api_url: str | None = None,
        service: str = SERVICE,
        endpoint: str = DEFAULT_ENDPOINT,
    ) -> None:
        """`limiters`: one for every request, or one per kind ("read", "write": Sheets meters them apart);
        `service` names the API in counts and errors ("sheets", or "drive" for the Drive connector)."""
        self._credentials = credentials
        self.service = service
        # Named in retry lines and errors: "Sheets API at https://sheets.googleapis.com".
        self.api_name = f"{service.capitalize()} API at {api_url or endpoint}"
        self._meter = Meter(service, limiters, observer)
        self._retry_seconds = retry_seconds
        self._sleep = sleep

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._meter.requests_made

    def execute(
        self,
        request: Any,
        what: str,
        *,
        tab: str | None = None,
        idempotent: bool = True,
        empty: bool = False,
    ) -> dict[str, Any]:
        """Send a googleapiclient HttpRequest, return its JSON object; failures become connectors.errors.

        `idempotent=False` (writes) retries only failures that prove the request was not applied;
        `empty=True` accepts a body-less answer (204, e.g. Drive's channels.stop) as {}.
        """
        policy = retry_policy(
            _should_retry if idempotent else _should_retry_write,
            self._retry_seconds,
            retry_after=_retry_after,
            describe=_describe,
            sleep=self._sleep,
            api=self.api_name,
        )
        unreached = transport_errors()
        try:
            answer = policy(self._attempt, request)
        except (HttpError, google.auth.exceptions.GoogleAuthError, ValueError, *unreached) as exc:
            if isinstance(exc, unreached) and not isinstance(exc, google.auth.exceptions.RefreshError):
                raise unreachable(self.api_name, exc, what, service=self.service) from exc
            raise translated(exc, what, tab, service=self.service) from exc
        if empty and answer in ("", None, b""):
            return {}
        if not isinstance(answer, dict):
            product = PRODUCTS.get(self.service, self.service)
            raise BadResponse(f"{product} answered {what} with something not an object", service=self.service)
        return answer

    def _attempt(self, request: Any) -> Any:
        """One rate-limited, counted HTTP request on a connection of its own."""
        # GETs read, the rest (batchUpdate, create) write, as Google meters them apart (read and write
        # requests per minute: https://developers.google.com/workspace/sheets/api/limits); each kind
        # waits for its own limiter when the connector has one per kind (Sheets; Drive has one for both).
        read = getattr(request, "method", "GET") in ("GET", "HEAD")
        kind = "read" if read else "write"
        self._meter.admit(kind)
        # httplib2.Http is not thread-safe and syncs run in worker threads: one per request, closed after,
        # so no socket outlives the call (a new connection per request is cheap at 60 of each kind a minute).
        import google_auth_httplib2  # with httplib2: at the first request (transport_errors says why)
        import httplib2

        # The socket timeout bounds each wait for bytes: a batch Google still works on sends none.
        http = ObservedHttp(httplib2.Http(timeout=READ_TIMEOUT if read else WRITE_TIMEOUT), self._meter)
        authorized = google_auth_httplib2.AuthorizedHttp(self._credentials, http=http)
        try:
            return request.execute(http=authorized, num_retries=0)
        except HttpError as exc:
            delay = parse_retry_after(exc.resp) if exc.status_code == 429 else None
            if delay:
                # Google's 429 names the metric it ran out of ("Write requests per minute per user"), and
                # that is this request's kind: hold that kind only, so a throttled write never stops the
                # reads other pairs' runs start with (their bucket still has room).
                self._meter.hold(delay, kind)
            raise
        finally:
            authorized.close()


class ObservedHttp:
    """Wraps an httplib2.Http: tells the meter each response's status, or 0 when none came back.

    Under AuthorizedHttp it sees every exchange with Google: API calls, their credential-refresh
    retries and the token requests themselves.
    """

    def __init__(self, http: Any, meter: Meter) -> None:
        self._http = http
        self._meter = meter

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        """httplib2's `request`, observed; a write is sent once (one_shot.py)."""
        kwargs = write_options(self._http, uri, method, kwargs)
        try:
            response, content = self._http.request(uri, method, *args, **kwargs)
        except transport_errors():
            self._meter.observe(0)
            raise
        self._meter.observe(int(response.status))
        return response, content

    def __getattr__(self, name: str) -> Any:
        # Everything else (close, timeout, redirect settings...) is the wrapped Http's.
        return getattr(self._http, name)


def translated(
    exc: BaseException, what: str, tab: str | None = None, *, service: str = SERVICE
) -> ConnectorError:
    """The connectors.errors counterpart of a failure left after retries (messages name no secret)."""
    product = PRODUCTS.get(service, service)
    if isinstance(exc, HttpError):
        return http_error(exc, what, tab, service=service)
    if isinstance(exc, google.auth.exceptions.RefreshError):
        if getattr(exc, "retryable", False):
            return Transient(f"Google's token endpoint kept failing for {what}", service=service)
        return AuthError(f"Google refused to issue an access token for {what}", service=service)
    if isinstance(exc, transport_errors()):
        return Transient(f"{product} unreachable for {what}: {type(exc).__name__}", service=service)
    if isinstance(exc, google.auth.exceptions.GoogleAuthError):
        return AuthError(f"Google credentials unusable for {what}: {type(exc).__name__}", service=service)
    # What is left is a ValueError: the JSON model could not decode the body.
    return BadResponse(f"{product} answered {what} unreadably", service=service)


def http_error(exc: HttpError, what: str, tab: str | None, *, service: str = SERVICE) -> ConnectorError:
    """The connectors.errors counterpart of a Google API error answer."""
    status = exc.status_code
    reason = str(exc.reason or "").strip() or f"HTTP {status}"
    if status == 400 and tab is not None and reason.startswith(UNPARSABLE_RANGE):
        return TabNotFound(f"{what}: no tab {tab!r} in the spreadsheet", service=service, status=status)
    product = PRODUCTS.get(service, service)
    return error_for_status(status, f"{product} answered {status} for {what}: {reason}", service=service)
