"""TrelloSession and TrelloConnector over a scripted transport: rewriting, retries, pacing, errors."""

from __future__ import annotations

import contextlib
import json
import logging
import traceback
from collections.abc import Mapping
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from trello import TrelloClient

from connectors.errors import AuthError, BadResponse, ConnectorError, NotFound, RateLimited, Transient
from connectors.limits import RateLimiter
from connectors.trello.client import TrelloConnector
from connectors.trello.session import TrelloSession, pacing_delay
from tests.support.clock import FakeClock

API = "http://emulator.test:8080"
KEY = "key-5ecret-abc"
TOKEN = "token-5ecret-xyz"

Answer = tuple[int, Any, Mapping[str, str]] | Exception


class Scripted(BaseAdapter):
    """A transport answering from a script (the last answer repeats) and recording what was sent."""

    def __init__(self, *answers: Answer) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[requests.PreparedRequest] = []
        self.timeouts: list[Any] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        self.timeouts.append(kwargs.get("timeout"))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = answer
        response = requests.Response()
        response.status_code = status
        response._content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        response.headers.update(headers)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""


def ok(body: Any = None, **headers: str) -> Answer:
    return (200, {"id": "x"} if body is None else body, headers)


def session(
    transport: Scripted, fake: FakeClock, retry_seconds: float = 30.0, max_calls: int = 100, **kw: Any
) -> TrelloSession:
    limiter = RateLimiter(max_calls, 10.0, clock=fake, sleep=fake.sleep)
    s = TrelloSession(limiter, api_url=API, retry_seconds=retry_seconds, sleep=fake.sleep, **kw)
    s.mount(API, transport)
    return s


def connector(transport: Scripted, retry_seconds: float = 30.0) -> tuple[TrelloConnector, FakeClock]:
    fake = FakeClock(0.0)
    conn = TrelloConnector(KEY, TOKEN, api_url=API, retry_seconds=retry_seconds)
    conn._session.mount(API, transport)
    conn._session._sleep = fake.sleep
    return conn, fake


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.trello.com/1/boards/b1?x=1", f"{API}/1/boards/b1?x=1"),
        ("https://trello.com/1/tokens/t/webhooks/", f"{API}/1/tokens/t/webhooks/"),
        ("https://trello.com.evil.test/1/x", "https://trello.com.evil.test/1/x"),
        ("https://example.org/1/x", "https://example.org/1/x"),
    ],
)
def test_rewrites_only_trello_hosts(url: str, expected: str) -> None:
    assert session(Scripted(ok()), FakeClock(0.0)).rewrite(url) == expected


def test_without_api_url_nothing_is_rewritten() -> None:
    s = TrelloSession(RateLimiter(1, 1.0), api_url=None)
    assert s.rewrite("https://api.trello.com/1/boards/b") == "https://api.trello.com/1/boards/b"


def test_py_trello_webhook_post_to_trello_com_reaches_the_api_url() -> None:
    transport = Scripted(ok({"id": "w1"}))
    s = session(transport, FakeClock(0.0))
    hook = TrelloClient(KEY, token=TOKEN, http_service=s).create_hook("http://cb.test/h", "b1", "d")
    assert hook.id == "w1"
    assert transport.sent[0].url == f"{API}/1/tokens/{TOKEN}/webhooks/"


def test_retries_429_and_5xx_then_succeeds_counting_every_request() -> None:
    fake = FakeClock(0.0)
    transport = Scripted((429, "slow down", {}), (503, "busy", {}), ok())
    s = session(transport, fake)
    assert s.get(f"{API}/1/members/me").status_code == 200
    assert s.requests_made == 3
    assert len(fake.sleeps) >= 2


def test_the_limiter_spaces_requests_beyond_the_window() -> None:
    fake = FakeClock(0.0)
    s = session(Scripted(ok()), fake, max_calls=3)
    for _ in range(4):
        s.get(f"{API}/1/members/me")
    assert sum(fake.sleeps) == pytest.approx(10.0)
    assert s.requests_made == 4


def test_honours_retry_after() -> None:
    fake = FakeClock(0.0)
    s = session(Scripted((429, "", {"Retry-After": "4"}), ok()), fake)
    s.get(f"{API}/1/members/me")
    assert max(fake.sleeps) >= 4.0


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_other_4xx_are_returned_at_once(status: int) -> None:
    s = session(Scripted((status, "no", {}), ok()), FakeClock(0.0))
    assert s.get(f"{API}/1/members/me").status_code == status
    assert s.requests_made == 1


def test_after_the_budget_the_last_429_is_returned() -> None:
    fake = FakeClock(0.0)
    s = session(Scripted((429, "limit", {})), fake, retry_seconds=5.0)
    assert s.get(f"{API}/1/members/me").status_code == 429
    assert s.requests_made > 1
    assert sum(fake.sleeps) <= 5.0


@pytest.mark.parametrize("error", [requests.ConnectionError("refused"), requests.ReadTimeout("slow")])
def test_connection_errors_and_timeouts_are_retried(error: Exception) -> None:
    s = session(Scripted(error, ok()), FakeClock(0.0))
    assert s.get(f"{API}/1/members/me").status_code == 200
    assert s.requests_made == 2


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "failure",
    [(503, "busy", {}), (500, "oops", {}), requests.ReadTimeout("slow"), requests.ConnectionError("reset")],
)
def test_a_write_that_may_have_been_applied_is_never_sent_again(method: str, failure: Answer) -> None:
    # Issue 10: a two-way cell's PUT /1/cards/{id} is retried only when it provably was not applied; a
    # resent PUT could undo a teammate's change made in between. The next run reads what Trello shows.
    transport = Scripted(failure, ok())
    s = session(transport, FakeClock(0.0))
    with contextlib.suppress(requests.RequestException):
        s.request(method, f"{API}/1/cards/c1", params={"name": "x"})
    assert s.requests_made == 1 and len(transport.sent) == 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "failure",
    [(429, "slow", {}), requests.ConnectionError(ConnectionRefusedError()), requests.ConnectTimeout("no")],
)
def test_a_write_that_surely_was_not_applied_is_retried(method: str, failure: Answer) -> None:
    transport = Scripted(failure, ok())
    s = session(transport, FakeClock(0.0))
    assert s.request(method, f"{API}/1/cards/c1", params={"name": "x"}).status_code == 200
    assert s.requests_made == 2


def test_every_request_has_a_timeout() -> None:
    transport = Scripted(ok())
    session(transport, FakeClock(0.0)).get(f"{API}/1/members/me")
    session(transport, FakeClock(0.0), timeout=4.0).get(f"{API}/1/members/me")
    assert transport.timeouts == [30.0, 4.0]


def test_a_nearly_spent_window_pauses_the_next_request() -> None:
    fake = FakeClock(0.0)
    low = {
        "x-rate-limit-api-token-interval-ms": "10000",
        "x-rate-limit-api-token-max": "100",
        "x-rate-limit-api-token-remaining": "0",
    }
    s = session(Scripted(ok(**low), ok()), fake)
    s.get(f"{API}/1/members/me")
    assert fake.sleeps == []
    s.get(f"{API}/1/members/me")
    assert fake.sleeps and fake.sleeps[0] > 0


@pytest.mark.parametrize(
    ("remaining", "paused"),
    [("99", False), ("5", False), ("4", True), ("0", True), ("junk", False)],
)
def test_pacing_delay_reads_rate_limit_headers(remaining: str, paused: bool) -> None:
    headers = {
        "X-Rate-Limit-Api-Key-Interval-Ms": "10000",
        "X-Rate-Limit-Api-Key-Max": "300",
        "X-Rate-Limit-Api-Key-Remaining": remaining,
    }
    assert (pacing_delay(headers) > 0) is paused


def test_credentials_travel_in_the_oauth_header_not_the_url() -> None:
    transport = Scripted(ok({"id": "b1", "cards": []}))
    conn, _ = connector(transport)
    conn.board_snapshot("b1")
    sent = transport.sent[0]
    assert KEY not in (sent.url or "")
    assert TOKEN not in (sent.url or "")
    assert sent.headers["Authorization"] == f'OAuth oauth_consumer_key="{KEY}", oauth_token="{TOKEN}"'


@pytest.mark.parametrize(
    ("answer", "error", "status"),
    [
        ((401, "invalid token", {}), AuthError, 401),
        ((403, "unauthorized permission requested", {}), AuthError, 403),
        ((404, "The requested resource was not found.", {}), NotFound, 404),
        ((400, "invalid value for idList", {}), BadResponse, 400),
        ((429, {"error": "API_TOKEN_LIMIT_EXCEEDED"}, {}), RateLimited, 429),
        ((502, "bad gateway", {}), Transient, 502),
        ((200, "<html>not json</html>", {}), BadResponse, None),
        ((200, [1, 2], {}), BadResponse, None),
        (requests.ConnectionError("refused"), Transient, None),
        (requests.ReadTimeout("slow"), Transient, None),
    ],
)
def test_failures_map_to_the_error_tree(
    answer: Answer, error: type[ConnectorError], status: int | None
) -> None:
    conn, _ = connector(Scripted(answer), retry_seconds=0.0)
    with pytest.raises(error) as raised:
        conn.me()
    assert raised.value.service == "trello"
    assert raised.value.status == status


def test_401_is_not_retried() -> None:
    transport = Scripted((401, "invalid token", {}), ok())
    conn, _ = connector(transport)
    with pytest.raises(AuthError):
        conn.me()
    assert conn.requests_made == 1


@pytest.mark.parametrize(
    "answer",
    [
        (400, f"bad request for key {KEY} and token {TOKEN}", {}),
        (401, f"invalid token {TOKEN}", {}),
        requests.ConnectionError(f"Max retries exceeded with url: /1/tokens/{TOKEN}/webhooks?key={KEY}"),
    ],
)
def test_no_secret_in_messages_reprs_or_tracebacks(answer: Answer) -> None:
    conn, _ = connector(Scripted(answer), retry_seconds=0.0)
    with pytest.raises(ConnectorError) as raised:
        conn.list_webhooks()
    rendered = "".join(traceback.format_exception(raised.value)) + repr(raised.value) + repr(conn)
    assert KEY not in rendered
    assert TOKEN not in rendered
    assert "webhooks" in str(raised.value)


def test_no_secret_in_retry_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    conn, _ = connector(Scripted((503, f"down {TOKEN}", {}), ok([])))
    assert conn.list_webhooks() == []
    assert "retrying" in caplog.text
    assert KEY not in caplog.text
    assert TOKEN not in caplog.text


def test_urllib3_request_lines_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    TrelloConnector(KEY, TOKEN, api_url=API)
    caplog.set_level("DEBUG", logger="urllib3.connectionpool")
    line = '%s://%s:%s "%s %s %s" %s %s'
    path = f"/1/tokens/{TOKEN}/webhooks?key={KEY}&token={TOKEN}"
    logging.getLogger("urllib3.connectionpool").debug(line, "http", "h", 80, "GET", path, "HTTP/1.1", 200, 2)
    assert "GET /1/tokens/***/webhooks?key=***&token=***" in caplog.text
    assert TOKEN not in caplog.text
