"""The sharing audit through the emulator's Drive v3: grants follow the roles, unexpected access is
reported (log, metric, change log, store), removed under `enforce` only after approval; Drive calls only."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import google.oauth2.credentials
import pytest
from fastapi.testclient import TestClient

from app.config.models import Config, parse_config
from app.main import create_app
from app.runtime.admin import AdminActions
from app.runtime.metrics import Metrics
from app.runtime.sharing import SharingAuditor
from app.runtime.sharing_types import held_key
from app.store.store import Store
from connectors.drive.client import DriveConnector
from tests.support.clock import FakeClock
from tests.support.services import make_services
from tests.support.sheets_emulator import SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the Sheets emulator (with Drive v3) over loopback

BOT = "bot@boardsheet.iam.gserviceaccount.com"
YAML = """\
roles:
  chief: [chief@example.org]
  committee: [group:ideas@example.org]
  stakeholders: [domain:example.org]
pairs:
  - name: social
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar, share: true{keys}}}
    columns:
      - {{header: Title, field: name, two_way: true, editable_by: [chief, committee]}}
"""


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    with running_sheets() as emu:
        yield emu


class World:
    """A spreadsheet the service account may share, an auditor over it, its store, clock and metrics."""

    def __init__(self, emu: SheetsEmulator, tmp_path: Path, keys: str = "") -> None:
        self.emu = emu
        self.spreadsheet = emu.create("Calendar", ["Calendar"])
        self.owner = emu.state.drive.meta(self.spreadsheet).owner
        emu.share(self.spreadsheet, BOT, "writer")
        self.config: Config = parse_config(YAML.format(spreadsheet=self.spreadsheet, keys=keys))
        self.clock = FakeClock(1_800_000_000.0)
        self.store = Store(f"sqlite:///{tmp_path / 'state.db'}", clock=self.clock.datetime)
        self.metrics = Metrics()
        token = google.oauth2.credentials.Credentials(token=f"user:{BOT}")  # type: ignore[no-untyped-call]
        drive = DriveConnector(token, api_url=emu.url, retry_seconds=2.0, sharing=True)
        self.auditor = SharingAuditor(
            self.config, drive, self.store, service_accounts=[BOT], metrics=self.metrics, clock=self.clock
        )
        self.sheet = self.auditor.sheet("social")

    def permissions(self) -> dict[str, str]:
        """Address (or 'anyone') → role, as Drive lists them now."""
        answer = self.emu.call("GET", f"/drive/v3/files/{self.spreadsheet}/permissions", fields="*")
        return {
            p.get("emailAddress") or p.get("domain") or p["type"]: p["role"]
            for p in answer.json()["permissions"]
        }

    def trust_events(self, kind: str) -> float:
        value = self.metrics.registry.get_sample_value(
            "boardsheet_trust_events_total", {"pair": "social", "kind": kind}
        )
        return value or 0.0

    def audit(self) -> None:
        assert self.auditor.audit(self.sheet) is not None


def test_share_true_grants_editors_and_readers_without_mail_and_no_sheets_request(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = World(emulator, tmp_path)
    emulator.clear()
    world.audit()
    calls = [(r["method"], r["path"]) for r in emulator.requests()]
    listing = f"/drive/v3/files/{world.spreadsheet}/permissions"
    assert sorted(calls) == [("GET", listing)] + [("POST", listing)] * 3  # Drive only: never the Sheets quota
    assert world.permissions() == {
        world.owner: "owner",
        BOT: "writer",
        "chief@example.org": "writer",
        "ideas@example.org": "writer",
        "example.org": "reader",
    }
    assert emulator.state.drive.outbox == []  # notify: false
    emulator.clear()
    world.clock.sleep(3600)
    world.audit()  # everything granted: one list, nothing else
    assert len(emulator.requests()) == 1


def test_notify_true_lets_drive_mail_users_and_groups(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = World(emulator, tmp_path, ", notify: true")
    world.audit()
    sent = sorted(m["to"] for m in emulator.state.drive.outbox)
    assert sent == ["chief@example.org", "ideas@example.org"]  # Drive never mails a domain


def test_an_unexpected_editor_is_reported_once_in_the_log_metric_change_log_and_store(
    emulator: SheetsEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(emulator, tmp_path)
    world.audit()
    emulator.share(world.spreadsheet, "mallory@evil.example", "writer")
    world.clock.sleep(3600)
    with caplog.at_level(logging.WARNING, logger="app.runtime.sharing"):
        world.audit()
        world.clock.sleep(3600)
        world.audit()  # still there: no second line, no second count
    lines = [r.getMessage() for r in caplog.records if "trust no one" in r.getMessage()]
    assert len(lines) == 1 and "mallory@evil.example" in lines[0] and "writer" in lines[0]
    assert world.trust_events("unexpected_writer") == 1.0
    (event,) = world.store.sharing_audit(world.spreadsheet).events
    assert event["kind"] == "unexpected_writer" and "mallory" in str(event["message"])
    logged = [c for c in world.store.recent_changes("social") if c.action_type == "trust:unexpected_writer"]
    assert len(logged) == 1 and "mallory@evil.example" in logged[0].card_name
    assert world.permissions()["mallory@evil.example"] == "writer"  # report mode: never removed
    assert world.store.held_plans(held_key(world.sheet)) == []


def test_a_link_shared_with_anyone_is_reported(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = World(emulator, tmp_path)
    emulator.share(world.spreadsheet, "", "reader", kind="anyone")
    world.audit()
    (event,) = world.store.sharing_audit(world.spreadsheet).events
    assert event["kind"] == "anyone_link" and "anyone with the link" in str(event["message"])
    assert world.trust_events("anyone_link") == 1.0


def test_under_enforce_removal_waits_for_approval_then_happens_once(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = World(emulator, tmp_path, ", sharing: enforce")
    world.audit()
    emulator.share(world.spreadsheet, "mallory@evil.example", "writer")
    emulator.share(world.spreadsheet, "example.org", "writer", kind="domain")  # wanted as reader
    world.clock.sleep(3600)
    world.audit()
    (held,) = world.store.held_plans(held_key(world.sheet))
    assert held.approved_at is None and "mallory@evil.example" in held.reason
    assert world.permissions()["mallory@evil.example"] == "writer"  # held: nothing removed yet
    world.clock.sleep(60)
    assert not world.auditor.due(world.sheet)
    AdminActions(world.store, ["social"]).approve(held.id, "chief")
    assert world.auditor.due(world.sheet)  # an approval makes the audit due at once
    world.auditor.tick()
    after = world.permissions()
    assert "mallory@evil.example" not in after and after["example.org"] == "reader"
    assert after[world.owner] == "owner" and after[BOT] == "writer"
    assert world.store.sharing_audit(world.spreadsheet).events == []
    removed = [c for c in world.store.recent_changes("social") if c.action_type == "sharingRemoved"]
    assert {c.member for c in removed} == {"chief"} and len(removed) == 2
    assert not world.auditor.due(world.sheet)  # spent
    emulator.share(world.spreadsheet, "eve@evil.example", "writer")
    world.clock.sleep(3600)
    world.audit()  # a new intruder needs a new approval
    waiting = [p for p in world.store.held_plans(held_key(world.sheet)) if p.approved_at is None]
    assert len(waiting) == 1 and waiting[0].id != held.id
    assert world.permissions()["eve@evil.example"] == "writer"


def test_the_kill_switch_stops_sharing_writes_but_not_the_report(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    # Issue 11 §5: `pause --all` stops every write at once; a crisis is when the audit's report matters.
    world = World(emulator, tmp_path, ", sharing: enforce")
    world.audit()
    emulator.share(world.spreadsheet, "mallory@evil.example", "writer")
    world.clock.sleep(3600)
    world.audit()
    (held,) = world.store.held_plans(held_key(world.sheet))
    admin = AdminActions(world.store, ["social"])
    admin.pause_all("ops", "account stolen")
    admin.approve(held.id, "chief")
    emulator.share(world.spreadsheet, "chief@example.org", "reader")  # lowered: the roles say writer
    assert not world.auditor.due(world.sheet)  # the approval waits for resume
    world.clock.sleep(3600)
    emulator.clear()
    report = world.auditor.audit(world.sheet)
    assert report is not None and report.paused == ["social"]
    assert [r["method"] for r in emulator.requests()] == ["GET"]  # listed, nothing written
    assert world.permissions()["mallory@evil.example"] == "writer"
    assert world.permissions()["chief@example.org"] == "reader"
    assert any("mallory" in str(e["message"]) for e in world.store.sharing_audit(world.spreadsheet).events)
    admin.resume_all("ops")
    assert world.auditor.due(world.sheet)
    world.auditor.tick()
    after = world.permissions()
    assert "mallory@evil.example" not in after and after["chief@example.org"] == "writer"


def test_the_audit_lists_at_most_once_per_audit_every(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = World(emulator, tmp_path, ", audit_every: 10m")
    emulator.clear()

    def lists() -> int:
        return sum(
            1 for r in emulator.requests() if r["method"] == "GET" and r["path"].endswith("/permissions")
        )

    for _ in range(20):  # 20 ticks over 19 minutes: audits at 0 and 10 minutes only
        world.auditor.tick()
        world.clock.sleep(60)
    assert lists() == 2


def test_an_owner_change_is_an_event(emulator: SheetsEmulator, tmp_path: Path) -> None:
    world = World(emulator, tmp_path)
    world.audit()
    body = {"type": "user", "role": "owner", "emailAddress": "new-owner@example.org"}
    path = f"/drive/v3/files/{world.spreadsheet}/permissions"
    answer = emulator.call("POST", path, body, transferOwnership="true", sendNotificationEmail="true")
    assert answer.status_code == 200, answer.text
    world.clock.sleep(3600)
    world.audit()
    kinds = [e["kind"] for e in world.store.sharing_audit(world.spreadsheet).events]
    # the previous owner stays a writer (Drive's transfer), in no role: reported too
    assert sorted(kinds) == ["owner_changed", "unexpected_writer"]
    assert world.trust_events("owner_changed") == 1.0


def test_status_and_the_status_page_show_events_and_the_plan_waiting(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    world = World(emulator, tmp_path, ", sharing: enforce")
    emulator.share(world.spreadsheet, "", "reader", kind="anyone")
    world.audit()
    services = make_services(tmp_path, config=world.config)  # the same state.db: what the service reads
    try:
        client = TestClient(create_app(services=services))
        (sharing,) = client.get("/status").json()["sharing"]
        assert (
            sharing["pair"] == "social" and sharing["mode"] == "enforce" and sharing["owner"] == world.owner
        )
        assert [e["kind"] for e in sharing["events"]] == ["anyone_link"]
        held = sharing["held_plan"]
        assert held["removals"] == ["remove anyone with the link (reader)"]
        page = client.get("/").text
        assert "Trust no one: anyone with the link may open the spreadsheet as reader" in page
        assert f"boardsheet approve {held['id']}" in page
    finally:
        services.close()
