"""What people act on: the status page and /status with names and links, run history, held rows, the
next reconcile, the version; /readyz listing paused pairs; the OpenAPI description; the build metric."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app import __version__
from app.core.approvals import FLAGGED
from app.core.records import ChangeRecord, PairSources, RunRecord
from app.main import create_app
from app.runtime.wiring import Services
from tests.support.services import ADMIN_TOKEN, FakeRunner

T0 = datetime(2027, 1, 15, 8, tzinfo=UTC)


@pytest.fixture
def services(make: Callable[..., Services], runner: FakeRunner) -> Services:
    return make(runner=runner, admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services))


def test_board_and_sheet_by_name_with_links_and_tab(client: TestClient, services: Services) -> None:
    sources = PairSources(
        "Social <calendar>", "https://trello.com/b/AbCd", "Content plan", "https://docs.google.com/x"
    )
    services.store.note_sources("alpha", sources)
    alpha = client.get("/status").json()["pairs"][0]
    assert alpha["board"]["name"] == "Social <calendar>" and alpha["board"]["url"] == sources.board_url
    assert alpha["spreadsheet"]["title"] == "Content plan" and alpha["spreadsheet"]["tab"] == "Calendar"
    page = client.get("/").text
    assert '<a href="https://trello.com/b/AbCd">Social &lt;calendar&gt;</a>' in page
    assert '<a href="https://docs.google.com/x">Content plan</a> · tab Calendar' in page


def test_run_history_keeps_the_last_20_runs_with_outcomes_and_counts(
    client: TestClient, services: Services
) -> None:
    for minute in range(25):
        at = T0 + timedelta(minutes=minute)
        outcome = "held" if minute == 24 else "ok"
        run = RunRecord("alpha", at, at, outcome, "msg", rows_added=minute, trello_requests=1, sheets_reads=1)
        services.store.save_run("alpha", None, run)
    alpha = client.get("/status").json()["pairs"][0]
    assert len(alpha["runs"]) == 20
    assert [r["outcome"] for r in alpha["runs"][:2]] == ["held", "ok"]
    assert alpha["runs"][1]["rows_added"] == 23
    assert alpha["runs"][1]["api_calls"] == {"trello": 1, "sheets_reads": 1, "sheets_writes": 0}
    assert "Last 20 runs" in client.get("/").text


def test_held_plan_rows_and_the_next_reconcile_are_shown(client: TestClient, services: Services) -> None:
    rows = [{"key": "c1", "title": "Launch", "list": "Review", "reason": "archived", "free": {"Notes": "ok"}}]
    plan_id = services.store.hold_plan("beta", {"deletes": [], "rows": rows}, "would delete 2 rows")
    beta = client.get("/status").json()["pairs"][1]
    assert beta["held_plans"][0]["rows"] == rows
    assert beta["held_plans"][0]["approve"].startswith(f"boardsheet approve {plan_id}")
    assert beta["next_reconcile_at"] and beta["next_reconcile_in"].startswith("in ")
    page = client.get("/").text
    assert "<td>Launch</td><td>Review</td><td>archived</td>" in page and "Notes: ok" in page


def test_unapproved_cards_are_not_called_a_plan_waiting_for_approval(
    client: TestClient, services: Services
) -> None:
    flag = ChangeRecord(
        T0, "alpha", "b", "flag-c1", FLAGGED, "boardsheet", "c1", "Launch", "approval", None,
        "unapproved in Scheduled",
    )  # fmt: skip
    services.store.record_changes([flag])
    page = client.get("/").text
    assert "Unapproved cards (1), flagged until their approval box is ticked:" in page
    assert "Launch · unapproved in Scheduled" in page
    assert "Waiting for approval (" not in page  # held plans wait for approval; these cards wait for a tick


def test_version_in_status_and_the_build_info_metric(client: TestClient) -> None:
    assert client.get("/status").json()["version"] == __version__
    metrics = client.get("/metrics").text
    assert 'boardsheet_build_info{python="' in metrics and f'version="{__version__}"' in metrics


def test_readyz_lists_paused_pairs(client: TestClient, services: Services) -> None:
    services.admin.set_paused("beta", True, by="ops@box", reason="migrating the sheet")
    assert client.get("/readyz").json() == {"status": "ready", "paused": ["beta"]}
    beta = client.get("/status").json()["pairs"][1]
    assert (beta["paused_by"], beta["paused_reason"]) == ("ops@box", "migrating the sheet")
    assert beta["summary"].startswith("paused by ops@box (migrating the sheet)")


def test_the_admin_api_is_described_at_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/admin/plans/{plan_id}/approve" in spec["paths"]
    assert "/admin/pairs/{pair}/pause" in spec["paths"]
