"""Who may edit what, end to end: protected ranges made by the run, enforced by the emulator, restored
when someone removes one (a "trust no one" event), and the editor-in-chief's approval flags."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config.models import parse_config
from app.runtime.attribution import Attribution
from app.runtime.status_reader import StatusReader
from app.runtime.sync import Syncer
from app.store.sharing_state import SharingAudit
from connectors.drive.client import DriveConnector
from connectors.sheets.auth import emulator_credentials
from tests.support.world import World, world

CHIEF = "chief@example.org"
STAKEHOLDER = "reader@example.org"
MEMBER = "cora@example.org"  # of the brainstorm committee
INTAKE = """    intake:
      tab: Ideas
      list: Ideas
      editable_by: [committee, editor_in_chief]
      columns:
        - {header: Idea, field: name}
"""
VIEWS = "    views: [{type: month, tab: Calendar view, months: 1}]\n"
HEADERS = ["Date", "Title", "Status", "Approved", "Card ID"]


def _config(
    w: World,
    *,
    protect: str = "lock",
    chief: str = CHIEF,
    approval: bool = False,
    intake: bool = False,
    views: bool = False,
) -> None:
    text = f"""
roles:
  editor_in_chief: [{chief}]
  committee: [{MEMBER}]
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar, protect: {protect}}}
    timezone: Europe/Paris
{"    approval: {column: Approved, required_in: [Scheduled, Published]}" if approval else ""}
{INTAKE if intake else ""}{VIEWS if views else ""}    columns:
      - {{header: Date, field: due}}
      - {{header: Title, field: name}}
      - {{header: Status, field: list}}
      - {{header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}}
"""
    w.config = parse_config(text, env={})


def _setup(w: World, **options: Any) -> None:
    w.trello.create_custom_field(w.board_id, "Approved", "checkbox")
    _config(w, **options)
    w.share_as_writers(CHIEF, STAKEHOLDER, MEMBER)


def _protections(w: World) -> list[dict[str, Any]]:
    return w.protected_ranges()


def _type(w: World, who: str, cell: str, value: Any, tab: str = "Calendar") -> httpx.Response:
    return httpx.put(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/{tab}!{cell}",
        params={"valueInputOption": "USER_ENTERED"},
        headers={"Authorization": f"Bearer user:{who}"},
        json={"values": [[value]]},
    )


def test_the_first_run_protects_in_its_one_batch_and_an_unchanged_run_writes_nothing(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w)
        w.clear_logs()
        w.sync()
        assert w.calls()["sheets_write"] == 1  # rows and protections together
        descriptions = sorted(p["description"] for p in _protections(w))
        assert descriptions == [
            "boardsheet: Approved (editable by editor_in_chief)",
            "boardsheet: Approved header",
            "boardsheet: Card ID (written by boardsheet)",
            "boardsheet: Date (written by boardsheet)",
            "boardsheet: Status (written by boardsheet)",
            "boardsheet: Title (written by boardsheet)",
        ]
        chief_range = next(p for p in _protections(w) if "editable by" in p["description"])
        assert CHIEF in chief_range["editors"]["users"]
        w.clear_logs()
        w.sync()
        assert w.calls()["sheets_write"] == 0


def test_a_view_tab_is_protected_whole_in_the_same_batch_and_a_stakeholder_gets_403(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w, views=True)
        w.clear_logs()
        w.sync()
        assert w.calls()["sheets_write"] == 1  # rows, grid and protections together
        (view,) = [p for p in _protections(w) if p["description"].startswith("boardsheet view")]
        assert set(view["range"]) == {"sheetId"}  # the whole tab
        assert CHIEF not in view.get("editors", {}).get("users", [])
        typed = httpx.put(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/'Calendar view'!C7",
            params={"valueInputOption": "USER_ENTERED"},
            headers={"Authorization": f"Bearer user:{CHIEF}"},
            json={"values": [["my own note"]]},
        )
        assert typed.status_code == 403
        w.clear_logs()
        w.sync()
        assert w.calls()["sheets_write"] == 0


def test_a_stakeholder_gets_403_on_owned_and_approval_columns_the_chief_may_approve(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w)
        w.sync()
        assert _type(w, STAKEHOLDER, "B2", "my title").status_code == 403
        assert _type(w, STAKEHOLDER, "D2", "TRUE").status_code == 403
        assert _type(w, STAKEHOLDER, "F2", "a free note").status_code == 200  # free column untouched
        assert _type(w, CHIEF, "B2", "chief's title").status_code == 403  # owned: only boardsheet
        assert _type(w, CHIEF, "D2", "TRUE").status_code == 200
        card_id = w.values()[1][HEADERS.index("Card ID")]
        w.sync()
        with w.trello_client() as client:
            items = client.get(f"/1/cards/{card_id}/customFieldItems").json()
        assert [item["value"] for item in items] == [{"checked": "true"}]


def test_a_removed_protection_is_restored_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w)
        counted: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        syncer.run("calendar")
        title = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Title"))
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": title["protectedRangeId"]}}])
        assert _type(w, STAKEHOLDER, "B2", "now I can").status_code == 200
        w.clear_logs()
        with caplog.at_level(logging.WARNING, logger="app.runtime.trust"):
            syncer.run("calendar")
        assert w.calls()["sheets_write"] == 1
        assert any(p["description"].startswith("boardsheet: Title") for p in _protections(w))
        assert _type(w, STAKEHOLDER, "B2", "not any more").status_code == 403
        warnings = [r for r in caplog.records if r.name == "app.runtime.trust"]
        assert len(warnings) == 1
        assert "calendar" in warnings[0].getMessage() and "column B" in warnings[0].getMessage()
        assert counted == [("calendar", "removed")]
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert [(e["tab"], e["who"]) for e in pair["trust_events"]] == [("Calendar", "unknown")]
        assert pair["trust_events"][0]["kind"].startswith("removed")
        syncer.run("calendar")
        assert counted == [("calendar", "removed")]  # reported once


def test_a_protection_removed_while_no_service_ran_is_reported_by_the_next_process(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        _setup(w)
        Syncer(w.config, w.trello, w.sheets, w.store).run("calendar")  # the service, before its restart
        title = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Title"))
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": title["protectedRangeId"]}}])
        counted: list[tuple[str, str]] = []
        restarted = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        restarted.run("calendar")
        assert counted == [("calendar", "removed")]
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert [e["tab"] for e in pair["trust_events"]] == ["Calendar"]
        Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e)).run("calendar")
        assert counted == [("calendar", "removed")]  # restored: the next process has nothing to report


def test_who_removed_a_protection_is_drives_last_modifier_from_before_the_run_wrote(tmp_path: Path) -> None:
    """In reconcile-only mode the change log names Drive's last modifier (approximate): asked after the
    run's own write, Drive names boardsheet itself, and the event said "unknown"."""
    with world(tmp_path, cards=3) as w:
        _setup(w)
        drive = DriveConnector(emulator_credentials("test-world"), api_url=w.sheets_url, retry_seconds=5.0)
        editors = Attribution(w.store, drive, lambda pair: w.spreadsheet_id)
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, editors=editors)
        syncer.run("calendar")
        approval = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Approved ("))
        removed = httpx.post(  # the chief is an editor of that range: Google lets them remove it
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}:batchUpdate",
            headers={"Authorization": f"Bearer user:{CHIEF}"},
            json={"requests": [{"deleteProtectedRange": {"protectedRangeId": approval["protectedRangeId"]}}]},
        )
        assert removed.status_code == 200, removed.text
        syncer.run("calendar")
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert [e["who"] for e in pair["trust_events"]] == [f"~{CHIEF} (approximate)"]


def test_a_widened_protection_is_narrowed_and_reported(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w)
        counted: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        syncer.run("calendar")
        title = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Title"))
        users = [*title["editors"]["users"], STAKEHOLDER]  # as the sheet's "Change permissions" adds one
        widened = {"protectedRangeId": title["protectedRangeId"], "editors": {"users": users}}
        w.batch_update([{"updateProtectedRange": {"protectedRange": widened, "fields": "editors"}}])
        syncer.run("calendar")
        assert counted == [("calendar", "widened")]
        title = next(p for p in _protections(w) if p["description"].startswith("boardsheet: Title"))
        assert STAKEHOLDER not in title.get("editors", {}).get("users", [])


def test_editable_by_changed_in_the_yaml_updates_the_range_editors(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w)
        counted: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        syncer.run("calendar")
        _config(w, chief="deputy@example.org")
        syncer.config = syncer.guard.config = w.config  # the same process, its YAML changed
        syncer.run("calendar")
        chief_range = next(p for p in _protections(w) if "editable by" in p["description"])
        assert "deputy@example.org" in chief_range["editors"]["users"]
        assert CHIEF not in chief_range["editors"]["users"]
        assert counted == []  # narrowed by the YAML: no trust event
        assert _type(w, CHIEF, "D2", "TRUE").status_code == 403


def test_protect_warn_makes_warning_only_ranges_and_off_removes_them(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w, protect="warn")
        w.sync()
        ranges = _protections(w)
        assert len(ranges) == 6 and all(p.get("warningOnly") for p in ranges)
        assert _type(w, STAKEHOLDER, "B2", "warned, not blocked").status_code == 200
        _config(w, protect="off")
        w.sync()
        assert _protections(w) == []


def test_cards_needing_approval_are_flagged_on_status_in_the_sheet_and_the_change_log(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w, approval=True)
        w.sync()
        rows = w.values()
        waiting = sorted(r[1] for r in rows[1:] if r[2] in ("Scheduled", "Published"))
        assert waiting
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert sorted(card["card"] for card in pair["unapproved"]) == waiting
        answer = httpx.get(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
            params={"fields": "sheets.conditionalFormats"},
            headers={"Authorization": "Bearer test"},
        ).json()
        rules = answer["sheets"][0]["conditionalFormats"]
        formula = rules[0]["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
        assert formula == '=N("boardsheet approval")+AND(OR($C2="Scheduled",$C2="Published"),$D2<>TRUE)'
        row = next(i for i, r in enumerate(rows) if r[1] == waiting[0])
        assert _type(w, CHIEF, f"D{row + 1}", "TRUE").status_code == 200
        w.sync()  # writes the approval to Trello, and the flag goes
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert sorted(card["card"] for card in pair["unapproved"]) == waiting[1:]
        logged = [c for c in w.store.recent_changes("calendar") if c.action_type == "approvalMissing"]
        assert sorted(c.card_name for c in logged) == waiting  # once per card, not per run
        w.clear_logs()
        w.sync()
        assert w.calls()["sheets_write"] == 0


def test_the_ideas_tab_is_editable_by_its_roles_only_and_restored_when_unprotected(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w, intake=True)
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        counted: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        w.clear_logs()
        syncer.run("calendar")
        assert w.calls()["sheets_write"] == 1  # the tab's protection rides in the run's one batch
        (ideas,) = [p for p in _protections(w) if p["description"].startswith("boardsheet: Ideas tab")]
        assert ideas["description"] == "boardsheet: Ideas tab (editable by committee, editor_in_chief)"
        assert {CHIEF, MEMBER} <= set(ideas["editors"]["users"])
        assert _type(w, STAKEHOLDER, "A2", "my idea", tab="Ideas").status_code == 403
        assert _type(w, MEMBER, "A2", "Teaser video", tab="Ideas").status_code == 200
        assert _type(w, CHIEF, "A3", "Launch recap", tab="Ideas").status_code == 200
        syncer.run("calendar")
        assert [row[0] for row in w.values("Ideas")[1:]] == ["Teaser video", "Launch recap"]
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": ideas["protectedRangeId"]}}])
        syncer.run("calendar")
        assert counted == [("calendar", "removed")]
        assert _type(w, STAKEHOLDER, "A4", "again", tab="Ideas").status_code == 403
        w.clear_logs()
        syncer.run("calendar")
        assert w.calls()["sheets_write"] == 0  # held as wanted: nothing to correct


def test_a_domain_edits_protected_cells_only_when_the_owner_is_in_that_domain(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        _setup(w)
        w.config = parse_config(
            f"""
roles:
  editor_in_chief: [domain:example.org]
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar}}
    columns:
      - {{header: Title, field: name}}
      - {{header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}}
""",
            env={},
        )
        [warning] = [p for p in w.config.warnings if p.path == "roles.editor_in_chief[0]"]
        assert "anyone in the spreadsheet owner's domain" in warning.message

        def approved_editors() -> dict[str, Any]:
            requests = w.syncer().preview("calendar").requests
            added = [r["addProtectedRange"]["protectedRange"] for r in requests if "addProtectedRange" in r]
            found = next(p for p in added if p["description"].startswith("boardsheet: Approved (editable"))
            editors: dict[str, Any] = found["editors"]
            return editors

        assert "domainUsersCanEdit" not in approved_editors()  # no audit yet: the owner is unknown
        w.store.save_sharing_audit(SharingAudit(w.spreadsheet_id, owner="boss@other.org"))
        assert "domainUsersCanEdit" not in approved_editors()
        w.store.save_sharing_audit(SharingAudit(w.spreadsheet_id, owner="boss@example.org"))
        assert approved_editors()["domainUsersCanEdit"] is True


def _restarted(w: World, counted: list[tuple[str, str]]) -> Syncer:
    """A new process (as `serve` restarted after a YAML edit), reading the YAML now in w.config."""
    return Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))


@pytest.mark.parametrize("protect", ["lock", "off"])
def test_protections_the_yaml_no_longer_asks_for_are_removed_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, protect: str
) -> None:
    """`intake:` and `views:` removed (`protect: off` too, or not), serve restarted: their
    ranges were left behind on tabs no run reads any more, and reported as removed by someone ("tab '?'
    ... removed by unknown; restored") in the log, the change log and /status."""
    with world(tmp_path, cards=3) as w:
        _setup(w, intake=True, views=True)
        w.sheets.add_tab(w.spreadsheet_id, "Ideas")
        counted: list[tuple[str, str]] = []
        _restarted(w, counted).run("calendar")
        before = {p["description"] for p in _protections(w)}
        assert {"boardsheet: Ideas tab (editable by committee, editor_in_chief)"} < before
        assert any(d.startswith("boardsheet view") for d in before)
        _config(w, protect=protect)  # no intake, no views
        with caplog.at_level(logging.WARNING, logger="app.runtime.trust"):
            _restarted(w, counted).run("calendar")
        assert [r.getMessage() for r in caplog.records if r.name == "app.runtime.trust"] == []
        assert counted == []
        assert StatusReader(w.config, w.store).status()["pairs"][0]["trust_events"] == []
        left = {p["description"] for p in _protections(w)}
        if protect == "off":
            assert left == set()  # README: `protect: off` removes boardsheet's ranges, every tab's
        else:
            gone = {d for d in before if d.startswith(("boardsheet view", "boardsheet: Ideas"))}
            assert left == before - gone
            assert _type(w, STAKEHOLDER, "A2", "anyone's again", tab="Ideas").status_code == 200
        w.clear_logs()
        _restarted(w, counted).run("calendar")
        assert w.calls()["sheets_write"] == 0 and w.calls()["sheets_read"] == 1  # nothing left to look for
        assert counted == []
