"""POST /webhooks/drive and /webhooks/sheets: forged signals answer 401 and run nothing; /status modes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime.sheet_hints import SIGNATURE_HEADER, pair_key, sign
from app.runtime.wiring import Services
from app.store.drive_state import DriveChannel
from tests.support.clock import FakeClock
from tests.support.services import APP_SECRET, NOW, FakeRunner

TOKEN = "channel-token-0123456789"


@pytest.fixture
def services(make: Callable[..., Services], runner: FakeRunner) -> Services:
    built = make(runner=runner, clock=FakeClock(NOW))
    expires = datetime.fromtimestamp(NOW, UTC) + timedelta(hours=2)
    built.store.save_drive_channel(DriveChannel("chan-1", "sheet2", "res-1", TOKEN, expires, "replica"))
    return built


@pytest.fixture
def client(services: Services) -> TestClient:
    """No lifespan: nothing runs unless a test steps a coordinator."""
    return TestClient(create_app(services=services))


def push(client: TestClient, channel: str, token: str, state: str = "update") -> int:
    headers = {
        "X-Goog-Channel-ID": channel,
        "X-Goog-Channel-Token": token,
        "X-Goog-Resource-ID": "res-1",
        "X-Goog-Resource-State": state,
        "X-Goog-Message-Number": "7",
    }
    answer = client.post("/webhooks/drive", headers=headers)
    if answer.status_code == 401:
        assert answer.json()["error"]["code"] in ("unknown_channel", "bad_token")
    return answer.status_code


def hint_body() -> bytes:
    body = {"spreadsheetId": "sheet1", "sheetId": 0, "sheetName": "Calendar", "range": "A2"}
    edited = datetime.fromtimestamp(NOW, UTC).isoformat()  # the service's clock is a FakeClock at NOW
    return json.dumps({**body, "editor": "chief@example.org", "editedAt": edited}).encode()


def requested(services: Services, pair: str) -> str | None:
    return services.coordinators.get(pair).health.last_request_reason


def test_a_forged_drive_notification_is_401_and_nothing_runs(client: TestClient, services: Services) -> None:
    assert push(client, "chan-1", "wrong-token") == 401
    assert push(client, "no-such-channel", TOKEN) == 401
    assert requested(services, "alpha") is None and requested(services, "beta") is None
    assert services.tracker.last_notice == {}


def test_a_verified_drive_notification_requests_a_run_of_the_spreadsheets_pair(
    client: TestClient, services: Services
) -> None:
    assert push(client, "chan-1", TOKEN, state="sync") == 200
    assert requested(services, "beta") is None  # the channel just opened
    assert push(client, "chan-1", TOKEN) == 200
    assert requested(services, "beta") == "drive"
    assert requested(services, "alpha") is None  # another spreadsheet


def test_a_forged_hint_is_401_and_nothing_runs(client: TestClient, services: Services) -> None:
    body = hint_body()
    for signature in (None, "sha256=00", sign(pair_key(APP_SECRET, "beta"), body), sign(APP_SECRET, body)):
        headers = {SIGNATURE_HEADER: signature} if signature else {}
        answer = client.post("/webhooks/sheets", content=body, headers=headers)
        assert answer.status_code == 401, signature
        assert answer.json()["error"]["code"] == "bad_signature"
    assert requested(services, "alpha") is None
    assert services.store.last_sheet_edit("alpha") is None


def test_a_hint_nested_too_deep_is_400_and_nothing_runs(client: TestClient, services: Services) -> None:
    # Within the hint's 16 KiB, 5,000 levels are enough to exhaust the JSON parser's recursion.
    body = b"[" * 5000 + b"]" * 5000
    headers = {SIGNATURE_HEADER: sign(pair_key(APP_SECRET, "alpha"), body)}
    answer = client.post("/webhooks/sheets?pair=alpha", content=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_json"
    assert requested(services, "alpha") is None


def test_a_signed_hint_runs_its_pair_and_status_says_instant(client: TestClient, services: Services) -> None:
    body = hint_body()
    headers = {SIGNATURE_HEADER: sign(pair_key(APP_SECRET, "alpha"), body)}
    assert client.post("/webhooks/sheets?pair=alpha", content=body, headers=headers).status_code == 200
    assert requested(services, "alpha") == "sheet-edit"
    pairs = {p["name"]: p["sheet_edits"] for p in client.get("/status").json()["pairs"]}
    assert pairs["alpha"]["mode"] == "instant"
    assert pairs["alpha"]["last_editor"] == "chief@example.org"
    assert pairs["beta"]["mode"] == "drive_push"  # its spreadsheet has a live channel


def test_status_says_reconcile_only_without_hints_or_channels(
    make: Callable[..., Services], runner: FakeRunner
) -> None:
    client = TestClient(create_app(services=make(runner=runner, clock=FakeClock(NOW))))
    modes = {p["name"]: p["sheet_edits"]["mode"] for p in client.get("/status").json()["pairs"]}
    assert modes == {"alpha": "reconcile_only", "beta": "reconcile_only"}
    assert "reconcile only" in client.get("/").text


def test_sheet_edit_signals_have_their_own_metric_not_the_trello_deliveries(
    client: TestClient, services: Services
) -> None:
    assert push(client, "chan-1", TOKEN, state="sync") == 200
    assert push(client, "chan-1", TOKEN) == 200
    assert push(client, "chan-1", "wrong-token") == 401
    body = hint_body()
    signed = {SIGNATURE_HEADER: sign(pair_key(APP_SECRET, "alpha"), body)}
    assert client.post("/webhooks/sheets?pair=alpha", content=body, headers=signed).status_code == 200
    samples = {
        (s.name, tuple(sorted(s.labels.items())), s.value)
        for metric in services.metrics.registry.collect()
        for s in metric.samples
        if s.name in ("boardsheet_webhooks_total", "boardsheet_edit_signals_total")
    }
    edit = "boardsheet_edit_signals_total"
    assert {(name, labels) for name, labels, _ in samples} == {
        (edit, (("outcome", "sync"), ("source", "drive"))),
        (edit, (("outcome", "accepted"), ("source", "drive"))),
        (edit, (("outcome", "bad_token"), ("source", "drive"))),
        (edit, (("outcome", "accepted"), ("source", "hint"))),
    }
