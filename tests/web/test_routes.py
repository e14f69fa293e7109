"""Health, readiness, status JSON and HTML, metrics, errors, webhook wiring and the lifespan."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app.config.settings import SettingsError
from app.errors import StoreError
from app.main import create_app
from app.runtime.wiring import Services
from app.store.store import ChangeRecord, RunRecord
from app.web.signature import sign
from connectors.errors import AuthError
from tests.support.clock import FakeClock
from tests.support.services import (
    APP_SECRET,
    BOARD_A,
    BOARD_B_ID,
    NOW,
    FakeRunner,
    FakeTrello,
    run_record,
)
from tests.support.waiting import wait_until


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def services(make: Callable[..., Services], runner: FakeRunner, clock: FakeClock) -> Services:
    return make(runner=runner, clock=clock)


@pytest.fixture
def client(services: Services) -> TestClient:
    """A client without the lifespan: no worker threads, runs are driven with step()."""
    return TestClient(create_app(services=services))


def run_now(services: Services, pair: str) -> None:
    """Do one forced run of `pair` in this thread."""
    services.coordinators.request(pair, "admin", force=True)
    assert services.coordinators.get(pair).step()


def test_healthz(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_ready_when_store_answers(client: TestClient) -> None:
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json() == {"status": "ready", "paused": []}


def test_not_ready_when_store_unreachable(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> None:
        raise StoreError("could not reach the database: connection refused")

    monkeypatch.setattr(services.store, "ping", down)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["error"]["code"] == "not_ready"
    assert body["reasons"] == [
        "the state store is unreachable: could not reach the database: connection refused"
    ]


def test_not_ready_after_an_auth_failure_until_a_run_succeeds(
    client: TestClient, services: Services, runner: FakeRunner
) -> None:
    runner.error = AuthError("Google Sheets refused the credentials (401)", service="sheets", status=401)
    run_now(services, "alpha")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["reasons"] == [
        "Google Sheets refused our credentials: Google Sheets refused the credentials (401)"
    ]
    runner.error = None
    run_now(services, "alpha")
    assert client.get("/readyz").status_code == 200


def test_status_per_pair(client: TestClient, services: Services, clock: FakeClock) -> None:
    base = {f"card{i}": {"Title": f"Card {i}"} for i in range(3)}
    at = datetime.fromtimestamp(NOW, UTC)
    services.store.save_run(
        "alpha", base, RunRecord(pair="alpha", started_at=at, finished_at=at, outcome="ok")
    )
    run_now(services, "alpha")
    clock.now += 12
    doc = client.get("/status").json()
    alpha, beta = doc["pairs"]
    assert alpha["summary"] == "in sync, updated 12 s ago"
    assert alpha["rows"] == 3 and alpha["last_run"]["outcome"] == "ok"
    assert beta["state"] == "pending" and beta["rows"] is None
    assert doc["polling_only"] is True and doc["admin_enabled"] is False


def test_status_shows_failures_and_held_plans(
    client: TestClient, services: Services, runner: FakeRunner
) -> None:
    runner.error = RuntimeError("the sheet tab 'Calendar' does not exist")
    run_now(services, "alpha")
    plan_id = services.store.hold_plan("beta", {"deletes": ["c1"]}, "would delete 30 of 40 rows")
    pairs = client.get("/status").json()["pairs"]
    assert pairs[0]["state"] == "failing"
    assert pairs[0]["error"] == "the sheet tab 'Calendar' does not exist"
    assert pairs[1]["state"] == "held"
    assert pairs[1]["held_plans"][0]["id"] == plan_id


def record_change(services: Services, card_name: str) -> None:
    services.store.record_changes([
        ChangeRecord(
            at=datetime.fromtimestamp(NOW - 5, UTC), pair="alpha", board_id=BOARD_A, action_id="a1",
            action_type="updateCard", member="Bob <b>", card_id="c1", card_name=card_name,
            field="name", before="old", after=card_name,
        )
    ])  # fmt: skip


def test_status_page_escapes_everything(client: TestClient, services: Services) -> None:
    record_change(services, "<script>alert('x')</script>")
    answer = client.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Bob &lt;b&gt;" in page
    assert 'http-equiv="refresh"' in page
    assert "polling only" in page
    assert "alpha" in page and "not synced yet" in page


def test_change_log_in_status_json(client: TestClient, services: Services) -> None:
    record_change(services, "Launch post")
    changes = client.get("/status").json()["changes"]
    assert [(c["who"], c["card"], c["field"], c["ago"]) for c in changes] == [
        ("Bob <b>", "Launch post", "Title", "5 s ago")  # the column header, not Trello's field id
    ]


def test_metrics_count_runs(client: TestClient, services: Services, runner: FakeRunner) -> None:
    runner.result = run_record("alpha", "ok", rows_added=2, cells_changed=7)
    run_now(services, "alpha")
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert 'boardsheet_runs_total{outcome="ok",pair="alpha"} 1.0' in answer.text
    assert 'boardsheet_rows_changed_total{kind="added",pair="alpha"} 2.0' in answer.text
    assert 'boardsheet_cells_changed_total{pair="alpha"} 7.0' in answer.text


def test_unknown_route_uses_the_error_shape(client: TestClient) -> None:
    answer = client.get("/nope")
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": "not_found", "message": "Not Found"}}


def test_polling_only_mounts_no_webhook_route(client: TestClient) -> None:
    assert client.head("/webhooks/trello").status_code == 404


def test_webhook_requests_a_run_and_lands_in_the_change_log(
    make: Callable[..., Services], clock: FakeClock
) -> None:
    services = make(clock=clock, public_url="https://bs.example")
    services.boards.resolve(FakeTrello())  # the short link's id, as registration learns it
    client = TestClient(create_app(services=services))
    assert client.head("/webhooks/trello").status_code == 200
    action = {
        "id": "act1", "type": "updateCard", "date": "2027-01-15T07:59:00.000Z",
        "memberCreator": {"fullName": "Alice Martin", "username": "alice"},
        "data": {"board": {"id": BOARD_B_ID}, "card": {"id": "c9", "name": "Reel"}, "old": {"idList": "l1"},
                 "listBefore": {"name": "Drafting"}, "listAfter": {"name": "Review"}},
    }  # fmt: skip
    body = json.dumps({"action": action, "model": {"id": BOARD_B_ID}}).encode()
    headers = {"X-Trello-Webhook": sign(APP_SECRET, body, "https://bs.example/webhooks/trello")}
    assert client.post("/webhooks/trello", content=body, headers=headers).status_code == 200
    assert (
        client.post("/webhooks/trello", content=body, headers={"X-Trello-Webhook": "forged"}).status_code
        == 401
    )
    doc = client.get("/status").json()
    beta = doc["pairs"][1]
    assert beta["last_webhook"] is not None
    assert services.coordinators.get("beta").health.last_request_reason == "webhook"
    assert doc["changes"][0]["who"] == "Alice Martin" and doc["changes"][0]["card"] == "Reel"


def test_lifespan_runs_every_pair_and_registers_webhooks(make: Callable[..., Services]) -> None:
    trello = FakeTrello()
    runner = FakeRunner()
    services = make(runner=runner, trello=trello, public_url="https://bs.example")
    with TestClient(create_app(services=services)) as client:
        assert all(c.wait_for_runs(1, timeout=10) for c in services.coordinators)
        assert wait_until(lambda: len(trello.hooks) == 2, "both webhooks", timeout=10.0)
        assert sorted(runner.ran) == ["alpha", "beta"]
        assert {h["idModel"] for h in trello.hooks} == {BOARD_A, BOARD_B_ID}
        assert wait_until(
            lambda: client.get("/status").json()["webhooks"].get("summary") is not None,
            "the webhook summary",
            timeout=10.0,
        )
    assert all(c.stop(timeout=1) for c in services.coordinators)


def test_registration_failure_never_crashes_the_app(make: Callable[..., Services]) -> None:
    class Down(FakeTrello):
        def list_webhooks(self) -> list[dict[str, object]]:
            raise AuthError("Trello refused the token (401)", service="trello", status=401)

    services = make(trello=Down(), public_url="https://bs.example")
    with TestClient(create_app(services=services)) as client:
        loop = services.registration
        assert loop is not None
        assert wait_until(
            lambda: loop.state.get("error") is not None,
            "the registration error",
            timeout=10.0,
        )
        assert client.get("/healthz").status_code == 200
        page = client.get("/").text
        assert "failing: Trello refused the token (401)" in page
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["reasons"] == ["Trello refused our credentials: Trello refused the token (401)"]


def test_store_outage_on_status_is_503_in_the_error_shape(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object, **_kw: object) -> None:
        raise StoreError("could not read the change log: database is locked")

    monkeypatch.setattr(services.store, "recent_changes", down)
    answer = client.get("/status")
    assert answer.status_code == 503
    assert answer.json()["error"] == {
        "code": "store_unavailable",
        "message": "the state store is unavailable: could not read the change log: database is locked",
    }


def test_public_url_without_app_secret_is_refused(make: Callable[..., Services]) -> None:
    services = make(public_url="https://bs.example", trello_app_secret=None)
    with pytest.raises(SettingsError, match="TRELLO_APP_SECRET"):
        create_app(services=services)
