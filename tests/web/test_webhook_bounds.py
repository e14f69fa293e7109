"""POST /webhooks/trello under hostile input: deep nesting is a 400, a slow body a 408 (issue 13, section 2).

Before: a signed body of 100,000 nested arrays answered 500 (or the connection dropped), and a client
sending its body slowly kept its connection for as long as it liked.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from app.config.settings import Settings
from app.runtime.metrics import Metrics
from app.runtime.registration import WEBHOOK_PATH
from app.web.deps import get_intake, get_metrics, get_settings
from app.web.errors import install_error_handlers
from app.web.signature import sign
from app.web.webhooks import MAX_DEPTH, webhook_router
from connectors.emulators.common import ServerThread
from tests.support.webhook_fakes import CALLBACK, PUBLIC_URL, SECRET, Current, load

pytestmark = pytest.mark.http  # the webhook route served over loopback

READ_TIMEOUT = 0.5  # seconds; the test's bound on the answer is generous (30 s), never this


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Current]]:
    current = Current()
    settings = Settings(trello_app_secret=SECRET, public_url=PUBLIC_URL, webhook_read_timeout=READ_TIMEOUT)
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(webhook_router())
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_intake] = current.intake
    app.dependency_overrides[get_metrics] = lambda: current.metrics
    with ServerThread(app) as thread:
        yield thread.url, current


@pytest.fixture
def current(server: tuple[str, Current]) -> Current:
    server[1].metrics = Metrics()
    return server[1]


def post_signed(url: str, body: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json", "X-Trello-Webhook": sign(SECRET, body, CALLBACK)}
    with httpx.Client(base_url=url, timeout=30.0) as client:
        return client.post(WEBHOOK_PATH, content=body, headers=headers)


@pytest.mark.parametrize("opening", [b"[", b'{"a":'])
def test_a_signed_body_nested_100000_deep_is_400(server: tuple[str, Current], opening: bytes) -> None:
    closing = b"]" if opening == b"[" else b"}"
    body = opening * 100_000 + b"1" + closing * 100_000
    response = post_signed(server[0], body)
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "bad_json", "message": f"the webhook body nests deeper than {MAX_DEPTH} levels"}
    }


def test_a_body_just_within_the_depth_limit_is_parsed(server: tuple[str, Current], current: Current) -> None:
    action = json.loads(load("updateCard.json"))
    nested: object = 1
    for _ in range(MAX_DEPTH - 1):  # the action object itself is the first level
        nested = [nested]
    action["extra"] = nested
    response = post_signed(server[0], json.dumps(action).encode())
    assert response.status_code == 200
    assert current.fake.runs  # the action was taken in


def test_brackets_inside_strings_do_not_count(server: tuple[str, Current], current: Current) -> None:
    action = json.loads(load("updateCard.json"))
    action["action"]["data"]["card"]["desc"] = '\\"[{' * 50_000  # a card description full of brackets
    response = post_signed(server[0], json.dumps(action).encode())
    assert response.status_code == 200


def raw_request(port: int, head: bytes, body_part: bytes) -> bytes:
    """Send a request's head and only part of its body, then wait; everything the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=30.0) as connection:
        connection.sendall(head + body_part)
        answer = b""
        while chunk := connection.recv(65536):  # until the server closes the connection
            answer += chunk
    return answer


def test_a_body_sent_too_slowly_is_408_and_the_connection_closed(
    server: tuple[str, Current], current: Current
) -> None:
    port = int(server[0].rsplit(":", 1)[1])
    head = (
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\nX-Trello-Webhook: whatever\r\n\r\n"
    ).encode()
    answer = raw_request(port, head, b'{"action": ')  # 11 of 1,000 bytes, then nothing
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 408 Request Timeout"
    assert b"connection: close" in rest.lower()
    document = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert document == {
        "error": {"code": "request_timeout", "message": f"the body was not sent within {READ_TIMEOUT:g} s"}
    }
    assert current_count(current.metrics, "request_timeout") == 1


def current_count(metrics: Metrics, outcome: str) -> float:
    return metrics.registry.get_sample_value("boardsheet_webhooks_total", {"outcome": outcome}) or 0.0
