"""How fresh the sheet is, the last webhook and the last reconcile: from the coordinator to the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.schedule import Health
from app.core.status import build_status
from app.core.status_inputs import PairFacts, StatusInputs
from app.core.tabs import PairTab
from app.main import create_app
from app.runtime.coordinator import Coordinator
from app.runtime.wiring import Services
from app.store.store import ChangeRecord, RunRecord
from tests.support.clock import FakeClock
from tests.support.services import NOW, FakeRunner, make_services


def test_only_runs_not_asked_for_by_webhooks_alone_count_as_reconciles() -> None:
    clock = FakeClock(NOW)
    c = Coordinator("social", FakeRunner(), debounce=1.0, reconcile_every=300.0, clock=clock)
    c.request("webhook")
    clock.now += 1
    assert c.step()
    assert c.health.last_success == NOW + 1 and c.health.last_reconcile is None

    clock.now = NOW + 301  # the timer, 300 s after the last run
    assert c.step()
    assert c.health.last_run_reasons == ("reconcile",) and c.health.last_reconcile == NOW + 301

    c.request("webhook")
    clock.now += 400  # a webhook's run when the timer is due too: both reasons, a reconcile
    assert c.step()
    assert set(c.health.last_run_reasons) == {"webhook", "reconcile"}
    assert c.health.last_reconcile == NOW + 701


def test_a_failed_reconcile_keeps_the_last_good_one() -> None:
    clock = FakeClock(NOW)
    failing = FakeRunner()
    c = Coordinator("social", failing, reconcile_every=300.0, clock=clock)
    c.request("admin", force=True)
    assert c.step() and c.health.last_reconcile == NOW
    failing.error = RuntimeError("Sheets answered 503")
    clock.now += 300
    assert c.step() and c.health.last_reconcile == NOW


def doc_of(p: PairFacts) -> dict[str, object]:
    pair: dict[str, object] = build_status(StatusInputs(now=NOW, pairs=[p]))["pairs"][0]
    return pair


def test_freshness_counts_a_sync_made_by_another_replica() -> None:
    # This replica never ran the pair; another one did, 30 s ago, and recorded it in the shared store.
    p = doc_of(PairFacts("alpha", "b", "s", "t", health=Health(name="alpha"), last_synced=NOW - 30))
    assert p["state"] == "in_sync" and p["summary"] == "in sync, updated 30 s ago"
    assert p["last_reconcile"] is None


def test_a_failing_pair_still_says_how_old_the_sheet_is() -> None:
    h = Health(name="alpha", last_success=NOW - 600, last_error="boom", consecutive_failures=1)
    p = doc_of(PairFacts("alpha", "b", "s", "t", health=h))
    assert p["state"] == "failing" and p["freshness"] == "updated 10 min ago"
    never = doc_of(PairFacts("alpha", "b", "s", "t", health=Health(name="alpha")))
    assert never["freshness"] == "never updated" and never["state"] == "pending"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    made = make_services(tmp_path, clock=FakeClock(NOW))
    yield made
    made.close()


def test_the_page_shows_freshness_last_webhook_and_last_reconcile(services: Services) -> None:
    clock = services.clock
    assert isinstance(clock, FakeClock)
    alpha = services.coordinators.get("alpha")
    alpha.request("startup")
    clock.now += 1
    assert alpha.step()  # the startup reconcile, at NOW + 1
    clock.now += 30
    services.tracker.webhook("alpha")  # an accepted webhook, at NOW + 31
    services.coordinators.request("alpha", "webhook")
    clock.now += 1
    assert alpha.step()  # its run, at NOW + 32
    clock.now += 12

    doc = TestClient(create_app(services=services)).get("/status").json()["pairs"][0]
    assert doc["summary"] == "in sync, updated 12 s ago"
    assert doc["last_webhook_ago"] == "13 s ago"
    assert doc["last_reconcile_ago"] == "43 s ago"

    page = TestClient(create_app(services=services)).get("/").text
    assert "in sync, updated 12 s ago" in page
    assert "13 s ago" in page and "43 s ago" in page


def test_the_shared_store_tells_another_replica_about_syncs_and_webhooks(services: Services) -> None:
    at = datetime.fromtimestamp(NOW - 40, UTC)
    services.store.save_run("beta", {}, RunRecord(pair="beta", started_at=at, finished_at=at, outcome="ok"))
    services.store.record_changes(
        [ChangeRecord(at=datetime.fromtimestamp(NOW - 20, UTC), pair="beta", board_id="b", action_id="a1",
                      action_type="updateCard", member="Alice <b>", card_id="c1", card_name="Reel",
                      field="list", before="Ideas", after="Review")]
    )  # fmt: skip
    client = TestClient(create_app(services=services))
    beta = client.get("/status").json()["pairs"][1]
    assert beta["summary"] == "in sync, updated 40 s ago"
    assert beta["last_webhook_ago"] == "20 s ago"
    page = client.get("/").text
    assert "Alice &lt;b&gt;" in page and "Alice <b>" not in page


def test_a_renamed_tab_the_pair_follows_is_on_the_status_page(services: Services) -> None:
    sheet = services.config.pair("alpha").sheet
    services.store.note_tab("alpha", PairTab(sheet.spreadsheet, sheet.tab, 42, "Calendar (old)"))
    doc = TestClient(create_app(services=services)).get("/status").json()["pairs"][0]
    assert (doc["spreadsheet"]["sheet_id"], doc["spreadsheet"]["tab_title"]) == (42, "Calendar (old)")
    assert "follows it by its sheet id 42" in doc["spreadsheet"]["tab_followed"]
    page = TestClient(create_app(services=services)).get("/").text
    assert f"tab &#39;{sheet.tab}&#39; is now named &#39;Calendar (old)&#39;" in page
    # Configured anew (another tab in the YAML), the old knowledge no longer applies.
    services.store.note_tab("alpha", PairTab(sheet.spreadsheet, "Elsewhere", 42, "Calendar (old)"))
    doc = TestClient(create_app(services=services)).get("/status").json()["pairs"][0]
    assert "tab_followed" not in doc["spreadsheet"]
