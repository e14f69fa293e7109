"""POST /webhooks/trello: signatures, limits, dedupe, unknown boards, and every recorded real body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.config.settings import Settings
from app.runtime.metrics import Metrics
from app.runtime.registration import WEBHOOK_PATH, callback_url
from app.web.deps import get_intake, get_metrics, get_settings
from app.web.signature import sign
from app.web.webhooks import webhook_router
from connectors.emulators.common import ServerThread
from tests.support.webhook_fakes import BODIES, CALLBACK, PUBLIC_URL, SECRET, Current, Fake, load

pytestmark = pytest.mark.http  # the webhook route served over loopback


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Current]]:
    current = Current()
    settings = Settings(trello_app_secret=SECRET, public_url=PUBLIC_URL)
    app = FastAPI()
    app.include_router(webhook_router(max_body=64 * 1024))
    # The real route with the real intake over fakes; each test's fakes are looked up per request.
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_intake] = current.intake
    app.dependency_overrides[get_metrics] = lambda: current.metrics
    with ServerThread(app) as thread:
        yield thread.url, current
    for intake in current.intakes.values():
        intake.close()


@pytest.fixture
def fake(server: tuple[str, Current]) -> Fake:
    server[1].fake = Fake()
    return server[1].fake


@pytest.fixture
def metrics(server: tuple[str, Current]) -> Metrics:
    server[1].metrics = Metrics()
    return server[1].metrics


@pytest.fixture
def client(server: tuple[str, Current], fake: Fake, metrics: Metrics) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=10.0) as c:
        yield c


def post(client: httpx.Client, body: bytes, signature: str | None = "sign") -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = sign(SECRET, body, CALLBACK)
    if signature is not None:
        headers["X-Trello-Webhook"] = signature
    return client.post(WEBHOOK_PATH, content=body, headers=headers)


def outcomes(metrics: Metrics, outcome: str) -> float:
    return metrics.registry.get_sample_value("boardsheet_webhooks_total", {"outcome": outcome}) or 0.0


def test_head_answers_200(client: httpx.Client) -> None:
    assert client.head(WEBHOOK_PATH).status_code == 200


def test_a_signed_action_is_recorded_and_requests_a_run(client: httpx.Client, fake: Fake) -> None:
    response = post(client, load("updateCard.json"))
    assert response.status_code == 200
    assert fake.runs == [("social", "webhook")]
    (change,) = fake.changes
    assert change.pair == "social"
    assert change.member == "Hugo Rodger-Brown"
    assert (change.card_id, change.card_name) == ("5476fb7437746ac807afe2a5", "Test card")
    assert (change.field, change.before, change.after) == ("list", "To Do", "Second list")
    assert change.at == datetime(2014, 11, 27, 10, 25, 13, 238000, tzinfo=UTC)


@pytest.mark.parametrize("signature", [None, "", "bm9wZQ==", sign("wrong-secret", b"{}", CALLBACK)])
def test_a_forged_or_missing_signature_is_401_and_nothing_happens(
    client: httpx.Client, fake: Fake, metrics: Metrics, signature: str | None
) -> None:
    response = post(client, load("updateCard.json"), signature)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert (fake.runs, fake.changes, fake.seen) == ([], [], set())
    assert outcomes(metrics, "bad_signature") == 1


def test_a_signature_for_another_callback_url_is_refused(client: httpx.Client, fake: Fake) -> None:
    body = load("updateCard.json")
    response = post(client, body, sign(SECRET, body, "https://elsewhere.example.com/webhooks/trello"))
    assert response.status_code == 401
    assert fake.runs == []


def test_a_signed_body_that_is_not_json_is_400(client: httpx.Client, fake: Fake) -> None:
    response = post(client, b"action=createCard")
    assert response.status_code == 400
    assert response.json() == {"error": {"code": "bad_json", "message": "the webhook body is not JSON"}}
    assert fake.runs == []


def test_an_oversized_body_is_413_by_content_length(client: httpx.Client, fake: Fake) -> None:
    response = post(client, b"x" * (64 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_an_oversized_streamed_body_is_413(client: httpx.Client, fake: Fake) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 4096

    response = client.post(WEBHOOK_PATH, content=chunks(), headers={"X-Trello-Webhook": "whatever"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert fake.runs == []


def test_a_board_no_pair_uses_is_200_and_counted(client: httpx.Client, fake: Fake, metrics: Metrics) -> None:
    fake.boards = {}
    assert post(client, load("updateCard.json")).status_code == 200
    assert (fake.runs, fake.changes) == ([], [])
    assert outcomes(metrics, "unknown_board") == 1


def test_the_same_action_twice_is_processed_once(client: httpx.Client, fake: Fake, metrics: Metrics) -> None:
    body = load("updateCard.json")
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 200
    assert len(fake.runs) == len(fake.changes) == 1
    assert (outcomes(metrics, "accepted"), outcomes(metrics, "duplicate")) == (1, 1)


def test_a_store_failure_is_500_so_trello_retries(client: httpx.Client, fake: Fake) -> None:
    fake.fail_store = True
    response = post(client, load("updateCard.json"))
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert fake.runs == []


def test_a_change_log_failure_still_requests_the_run_and_trellos_retry_is_logged(
    client: httpx.Client, fake: Fake
) -> None:
    fake.fail_change_log = True
    assert post(client, load("updateCard.json")).status_code == 500
    assert fake.runs == [("social", "webhook")]  # the sheet catches up whatever happened to the log
    fake.fail_change_log = False
    assert post(client, load("updateCard.json")).status_code == 200  # Trello's retry is not a duplicate
    assert [c.action_type for c in fake.changes] == ["updateCard"]


def test_a_board_matched_by_short_link_requests_every_pair(client: httpx.Client, fake: Fake) -> None:
    fake.boards = {"TAAnwdP9": ["social", "press"]}
    assert post(client, load("updateCard.json")).status_code == 200
    assert fake.runs == [("social", "webhook"), ("press", "webhook")]
    assert [c.pair for c in fake.changes] == ["social", "press"]


@pytest.mark.parametrize("body", [b'{"model": {"id": "x"}}', b"[1, 2]", b'"text"', b"null"])
def test_json_without_an_action_is_200_and_ignored(
    client: httpx.Client, fake: Fake, metrics: Metrics, body: bytes
) -> None:
    assert post(client, body).status_code == 200
    assert fake.runs == []
    assert outcomes(metrics, "ignored") == 1


def test_callback_url_joins_the_public_url_and_the_path() -> None:
    assert callback_url("https://b.example.com/") == "https://b.example.com/webhooks/trello"
    assert callback_url("https://b.example.com/sub") == "https://b.example.com/sub/webhooks/trello"


def test_fixtures_are_present() -> None:
    assert len(BODIES) >= 50


@pytest.mark.parametrize("path", BODIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_recorded_body_is_accepted(
    client: httpx.Client, fake: Fake, metrics: Metrics, path: Path
) -> None:
    body = path.read_bytes()
    payload = json.loads(body)
    action = payload.get("action", payload)
    fake.boards = {action["data"]["board"]["id"]: ["social"]}
    assert post(client, body).status_code == 200
    assert fake.runs == [("social", "webhook")]
    assert outcomes(metrics, "accepted") == 1
    assert all(c.action_id == action["id"] for c in fake.changes)
