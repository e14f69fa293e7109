"""The admin API: bearer auth in the one error shape, 404 when disabled, sync/pause/resume/approve."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime.wiring import Services
from tests.support.services import ADMIN_TOKEN, FakeRunner

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
UNKNOWN_PLAN = "no held plan has that id (plan ids are plain digits, as `boardsheet status` lists them)"


@pytest.fixture
def services(make: Callable[..., Services], runner: FakeRunner) -> Services:
    return make(runner=runner, admin_token=ADMIN_TOKEN, public_url="https://bs.example")


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-of-the-same-kind-0123"},
        {"Authorization": ADMIN_TOKEN},
        {"Authorization": f"Basic {ADMIN_TOKEN}"},
        {"Authorization": "Bearer "},
    ],
    ids=["missing", "wrong", "no-scheme", "basic", "empty"],
)
def test_bad_or_missing_token_is_401_in_the_error_shape(
    client: TestClient, services: Services, headers: dict[str, str]
) -> None:
    answer = client.post("/admin/pairs/alpha/pause", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["code"] == "unauthorized"
    assert ADMIN_TOKEN not in answer.text
    assert services.coordinators.get("alpha").health.paused is False


def test_admin_disabled_is_404(make: Callable[..., Services]) -> None:
    client = TestClient(create_app(services=make()))
    answer = client.post("/admin/pairs/alpha/sync", headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert "BOARDSHEET_ADMIN_TOKEN" in answer.json()["error"]["message"]


def test_sync_now_requests_a_forced_run(client: TestClient, services: Services, runner: FakeRunner) -> None:
    answer = client.post("/admin/pairs/beta/sync", headers=AUTH)
    assert answer.status_code == 202 and answer.json() == {"pair": "beta", "requested": True}
    beta = services.coordinators.get("beta")
    assert beta.health.last_request_reason == "admin"
    # Forced: due at once, whatever the debounce.
    assert beta.step() and runner.ran == ["beta"]


def test_unknown_pair_is_404(client: TestClient) -> None:
    for action in ("sync", "pause", "resume"):
        answer = client.post(f"/admin/pairs/gamma/{action}", headers=AUTH)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "unknown_pair"
        assert "alpha, beta" in answer.json()["error"]["message"]


def test_pause_and_resume_persist_and_reach_the_coordinator(
    client: TestClient, services: Services, runner: FakeRunner
) -> None:
    assert client.post("/admin/pairs/alpha/pause", headers=AUTH).json() == {"pair": "alpha", "paused": True}
    alpha = services.coordinators.get("alpha")
    assert services.store.paused("alpha") and alpha.health.paused
    services.coordinators.request("alpha", "admin", force=True)
    assert not alpha.step() and runner.ran == []
    assert client.get("/status").json()["pairs"][0]["state"] == "paused"

    assert client.post("/admin/pairs/alpha/resume", headers=AUTH).json() == {"pair": "alpha", "paused": False}
    assert not services.store.paused("alpha") and not alpha.health.paused
    assert alpha.step() and runner.ran == ["alpha"]


def test_a_paused_pair_stays_paused_after_a_restart(
    make: Callable[..., Services], services: Services, client: TestClient
) -> None:
    client.post("/admin/pairs/beta/pause", headers=AUTH)
    restarted = make()
    assert restarted.coordinators.get("beta").health.paused
    assert not restarted.coordinators.get("alpha").health.paused


def test_approve_a_held_plan_then_run_its_pair(
    client: TestClient, services: Services, runner: FakeRunner
) -> None:
    plan_id = services.store.hold_plan("beta", {"deletes": ["c1", "c2"]}, "would delete 2 of 2 rows")
    status = client.get("/status").json()
    assert status["pairs"][1]["held_plans"][0]["approve"].endswith(f"/admin/plans/{plan_id}/approve")

    answer = client.post(f"/admin/plans/{plan_id}/approve", headers=AUTH)
    assert answer.status_code == 200
    body = answer.json()
    assert body["plan"] == plan_id and body["pair"] == "beta" and body["run_requested"] is True
    assert body["approved_by"] == "admin API" and body["approved_at"]
    assert services.store.held_plans("beta")[0].approved_at is not None
    assert services.coordinators.get("beta").step() and runner.ran == ["beta"]
    assert client.get("/status").json()["pairs"][1]["held_plans"] == []


def test_approve_unknown_plan_is_404(client: TestClient) -> None:
    answer = client.post("/admin/plans/999/approve", headers=AUTH)
    assert answer.status_code == 404
    # The same answer as for a malformed id: the value is never repeated (docs/reliability.md, Bad input).
    assert answer.json()["error"] == {"code": "unknown_plan", "message": UNKNOWN_PLAN}


def test_bad_plan_id_is_404_unknown_plan_like_an_out_of_range_one(client: TestClient) -> None:
    answer = client.post("/admin/plans/abc/approve", headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "unknown_plan"
    assert answer.json()["error"]["message"] == UNKNOWN_PLAN


def test_a_second_approval_says_so_and_starts_nothing(
    client: TestClient, services: Services, runner: FakeRunner
) -> None:
    plan_id = services.store.hold_plan("beta", {"deletes": []}, "would delete 2 of 2 rows")
    first = client.post(f"/admin/plans/{plan_id}/approve", headers=AUTH).json()
    assert first["already_approved"] is False and first["run_requested"] is True
    assert services.coordinators.get("beta").step() and runner.ran == ["beta"]

    again = client.post(f"/admin/plans/{plan_id}/approve", headers=AUTH)
    assert again.status_code == 200
    body = again.json()
    assert body["already_approved"] is True and body["run_requested"] is False
    assert body["approved_at"] == first["approved_at"]
    assert "already approved by admin API" in body["message"]
    assert not services.coordinators.get("beta").step() and runner.ran == ["beta"]


@pytest.mark.parametrize("plan_id", ["0", "-1", str(2**31), str(2**63), "9" * 40])
def test_an_out_of_range_plan_id_is_404_never_a_500_or_503(client: TestClient, plan_id: str) -> None:
    answer = client.post(f"/admin/plans/{plan_id}/approve", headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"] == {"code": "unknown_plan", "message": UNKNOWN_PLAN}
    assert plan_id not in answer.json()["error"]["message"]


def test_without_a_public_url_trello_deliveries_are_404_not_found(make: Callable[..., Services]) -> None:
    # Polling-only mode, as the README says: no webhook route at all, so the one 404 shape.
    client = TestClient(create_app(services=make(public_url=None)), raise_server_exceptions=False)
    answer = client.post("/webhooks/trello", content=b"{}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")
