"""Issue 11 end to end, in one place: roles enforced by the emulators' protected ranges and Drive, with a
real service account (a JWT-bearer key, not a privileged tester) and two Google users besides it, the
editor-in-chief and a committee member, plus a stakeholder who may fix dates and nothing else."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.config.models import parse_config
from app.runtime.admin import AdminActions
from app.runtime.sharing import SharingAuditor
from app.runtime.sharing_types import held_key
from app.runtime.status_reader import StatusReader
from app.runtime.sync import Syncer
from connectors.drive.client import DriveConnector
from connectors.errors import Transient
from connectors.sheets.auth import credentials_for
from connectors.sheets.client import SheetsConnector
from tests.support.service_account import CLIENT_EMAIL as SERVICE
from tests.support.service_account import (
    private_key_pem,  # noqa: F401 - a fixture
    write_key_file,
)
from tests.support.world import World, world

CHIEF = "chief@example.org"
MEMBER = "cora@example.org"  # of the brainstorm committee
STAKEHOLDER = "sam@example.org"  # may fix dates, nothing else
STRANGER = "mallory@evil.example"
YAML = """
roles:
  editor_in_chief: [{chief}]
  committee: [{member}]
  stakeholders: [{stakeholder}]
pairs:
  - name: calendar
    trello: {{board: {board}}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar, share: true, sharing: enforce}}
    timezone: Europe/Paris
    intake:
      tab: Ideas
      list: Ideas
      editable_by: [committee, editor_in_chief]
      columns:
        - {{header: Idea, field: name}}
        - {{header: Why, field: desc}}
    columns:
      - {{header: Date, field: due, two_way: true, editable_by: [stakeholders, editor_in_chief]}}
      - {{header: Title, field: name}}
      - {{header: Status, field: list}}
      - {{header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}}
"""
HEADERS = ["Date", "Title", "Status", "Approved", "Card ID"]
NOTES = len(HEADERS)  # the free Notes column, right of the owned ones


def _api(w: World, who: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One call as `who`: a Google user's e-mail, or "test" (the spreadsheet's owner, a privileged tester)."""
    token = who if who == "test" else f"user:{who}"
    return httpx.request(
        method, f"{w.sheets_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10, **kwargs
    )


def _type(w: World, who: str, tab: str, cell: str, value: Any) -> int:
    """`who` types into one cell, as in the browser; the answer's status."""
    path = f"/v4/spreadsheets/{w.spreadsheet_id}/values/{tab}!{cell}"
    body = {"values": [[value]]}
    return _api(w, who, "PUT", path, params={"valueInputOption": "USER_ENTERED"}, json=body).status_code


def _protections(w: World) -> list[dict[str, Any]]:
    answer = _api(
        w, "test", "GET", f"/v4/spreadsheets/{w.spreadsheet_id}", params={"fields": "sheets.protectedRanges"}
    )
    return [p for s in answer.json()["sheets"] for p in s.get("protectedRanges", [])]


def _writers(w: World) -> set[str]:
    answer = _api(w, "test", "GET", f"/drive/v3/files/{w.spreadsheet_id}/permissions", params={"fields": "*"})
    return {p["emailAddress"] for p in answer.json()["permissions"] if p["role"] == "writer"}


def _ideas_cards(w: World) -> list[dict[str, Any]]:
    with w.trello_client() as client:
        lists = {item["name"]: item["id"] for item in client.get(f"/1/boards/{w.board_id}/lists").json()}
        cards: list[dict[str, Any]] = client.get(f"/1/lists/{lists['Ideas']}/cards").json()
    return [card for card in cards if not card["name"].startswith("Post ")]


def _refused(_spreadsheet: str, _requests: Any) -> Any:
    """A Sheets write that never lands (the run dies before its batch)."""
    raise Transient("the write failed", service="sheets")


def test_roles_end_to_end(tmp_path: Path, private_key_pem: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    with world(tmp_path, cards=5) as w:
        w.trello.create_custom_field(w.board_id, "Approved", "checkbox")
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        key = write_key_file(tmp_path, private_key_pem, f"{w.sheets_url}/token")
        body = {"type": "user", "role": "writer", "emailAddress": SERVICE}
        assert _api(
            w, "test", "POST", f"/drive/v3/files/{w.spreadsheet_id}/permissions", json=body
        ).is_success
        sa = SheetsConnector(credentials_for(key, w.sheets_url), api_url=w.sheets_url, retry_seconds=5)
        drive = DriveConnector(credentials_for(key, w.sheets_url), api_url=w.sheets_url, sharing=True)
        people = {"chief": CHIEF, "member": MEMBER, "stakeholder": STAKEHOLDER}
        w.config = parse_config(YAML.format(board=w.board_id, spreadsheet=w.spreadsheet_id, **people), env={})
        trust: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, sa, w.store, on_trust=lambda *event: trust.append(event))
        auditor = SharingAuditor(w.config, drive, w.store, service_accounts=[SERVICE], clock=time.time)
        sheet = auditor.sheet("calendar")

        # Sharing follows the roles: the audit makes the three people writers (each edits something).
        auditor.audit(sheet)
        assert _writers(w) == {SERVICE, CHIEF, MEMBER, STAKEHOLDER}
        syncer.run("calendar")  # rows, the Ideas tab's header and every protection, in one batch

        # The committee adds an idea; the run fails between the card's creation and the row's write (a
        # real kill there: test_intake_kill.py): the next runs write the row, and there is one card.
        assert _type(w, MEMBER, "Ideas", "A2", "Teaser video") == 200
        assert _type(w, STAKEHOLDER, "Ideas", "A3", "my idea") == 403  # the tab is the committee's
        with monkeypatch.context() as patch:
            patch.setattr(sa, "batch_update", _refused)
            with pytest.raises(Transient):
                syncer.run("calendar")
        syncer.run("calendar")
        syncer.run("calendar")
        [card] = _ideas_cards(w)
        assert card["name"] == "Teaser video"
        assert w.values("Ideas")[1][2:] == [card["id"], card["url"], "Ideas"]
        assert _type(w, CHIEF, "Ideas", "B2", "the chief may add why") == 200

        # Owned and approval columns: the stakeholder gets Google's 403; the chief approves; dates are his.
        rows = w.values()
        row = next(i for i, r in enumerate(rows) if r[HEADERS.index("Title")] == "Teaser video") + 1
        assert _type(w, STAKEHOLDER, "Calendar", f"B{row}", "renamed") == 403  # Title: boardsheet's
        assert _type(w, STAKEHOLDER, "Calendar", f"D{row}", "TRUE") == 403  # Approved: the chief's
        assert _type(w, CHIEF, "Calendar", f"D{row}", "TRUE") == 200
        assert _type(w, STAKEHOLDER, "Calendar", f"A{row}", "2026-12-24") == 200  # Date: his column
        assert _type(w, STAKEHOLDER, "Calendar", "F1", "Notes") == 200  # a free column: anyone's
        notes = [f"note {i}" for i in range(1, len(rows))]
        column = _api(
            w, STAKEHOLDER, "PUT", f"/v4/spreadsheets/{w.spreadsheet_id}/values/Calendar!F2",
            params={"valueInputOption": "RAW"}, json={"values": [[n] for n in notes]},
        )  # fmt: skip
        assert column.status_code == 200
        syncer.run("calendar")
        with w.trello_client() as client:
            items = client.get(f"/1/cards/{card['id']}/customFieldItems").json()
            assert [item["value"] for item in items] == [{"checked": "true"}]
            assert client.get(f"/1/cards/{card['id']}").json()["due"].startswith("2026-12-2")

        # Someone removes a protection: the next run restores it and reports it.
        title = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Title"))
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": title["protectedRangeId"]}}])
        assert _type(w, STAKEHOLDER, "Calendar", f"B{row}", "now I can") == 200
        syncer.run("calendar")
        assert trust == [("calendar", "removed")]
        assert _type(w, STAKEHOLDER, "Calendar", f"B{row}", "not any more") == 403
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert [e["tab"] for e in pair["trust_events"]] == ["Calendar"]

        # An unexpected editor added in Drive: reported, then removed under `enforce` once approved.
        body = {"type": "user", "role": "writer", "emailAddress": STRANGER}
        assert _api(
            w, "test", "POST", f"/drive/v3/files/{w.spreadsheet_id}/permissions", json=body
        ).is_success
        report = auditor.audit(sheet)
        assert report is not None and report.held_plan is not None
        events = w.store.sharing_audit(w.spreadsheet_id).events
        assert [(e["kind"], STRANGER in str(e["message"])) for e in events] == [("unexpected_writer", True)]
        assert STRANGER in _writers(w)  # held: nothing removed before approval
        (held,) = [p for p in w.store.held_plans(held_key(sheet)) if p.approved_at is None]
        AdminActions(w.store, ["calendar"]).approve(held.id, "chief")
        auditor.audit(sheet)
        assert _writers(w) == {SERVICE, CHIEF, MEMBER, STAKEHOLDER}

        # A wrecked tab (rows deleted, notes overwritten): `restore --at` brings it back exactly. A
        # snapshot is the tab as a run read it: this run's read is the tab as it stands.
        syncer.run("calendar")
        good, at = w.values(), datetime.now(UTC).isoformat()
        sheet_id = int(sa.read_tab(w.spreadsheet_id, "Calendar").sheet_id)
        span = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 2, "endIndex": 4}
        w.batch_update([{"deleteDimension": {"range": span}}])  # the owner may, protections or not
        assert _type(w, STAKEHOLDER, "Calendar", "F2", "wrecked") == 200
        assert w.values() != good
        config = tmp_path / "boardsheet.yaml"
        config.write_text(YAML.format(board=w.board_id, spreadsheet=w.spreadsheet_id, **people))
        env = {
            "BOARDSHEET_CONFIG": str(config),
            "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",  # the world's store
            "TRELLO_API_KEY": "emulator-key",
            "TRELLO_TOKEN": "token-ops",
            "TRELLO_API_URL": w.trello_url,
            "GOOGLE_SHEETS_API_URL": w.sheets_url,
            "GOOGLE_APPLICATION_CREDENTIALS": str(key),
        }
        w.clear_logs()
        done = CliRunner().invoke(app, ["restore", "calendar", "--at", at, "--yes"], env=env)
        assert done.exit_code == 0, done.output
        assert "restored" in done.output
        assert w.values() == good
        assert w.calls()["trello"] == 0  # restoring never touches Trello
        assert len(_ideas_cards(w)) == 1
