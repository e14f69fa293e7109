"""The Changes tab is boardsheet's alone (protected whole, like a view tab), and the cards flagged for
approval are shown and logged as they are now: renamed or moved, not as they were first flagged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config.models import parse_config
from app.runtime.status_reader import StatusReader
from app.runtime.sync import Syncer
from tests.support.world import World, world

CHIEF = "chief@example.org"
STAKEHOLDER = "reader@example.org"
LOG = "boardsheet change log"


def _config(w: World, *, protect: str = "lock") -> None:
    w.config = parse_config(
        f"""
roles:
  editor_in_chief: [{CHIEF}]
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar, protect: {protect}}}
    timezone: Europe/Paris
    changes_tab: Changes
    approval: {{column: Approved, required_in: [Scheduled, Published]}}
    columns:
      - {{header: Date, field: due}}
      - {{header: Title, field: name}}
      - {{header: Status, field: list}}
      - {{header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}}
""",
        env={},
    )


def _setup(w: World, **options: Any) -> None:
    w.trello.create_custom_field(w.board_id, "Approved", "checkbox")
    _config(w, **options)
    w.share_as_writers(CHIEF, STAKEHOLDER)


def _log_ranges(w: World) -> list[dict[str, Any]]:
    return w.protected_ranges(LOG)


def _type(w: World, who: str, cell: str, value: str) -> httpx.Response:
    return httpx.put(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Changes!{cell}",
        params={"valueInputOption": "USER_ENTERED"},
        headers={"Authorization": f"Bearer user:{who}"},
        json={"values": [[value]]},
    )


def test_the_changes_tab_is_protected_whole_in_the_run_s_one_batch(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w)
        counted: list[tuple[str, str]] = []
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, on_trust=lambda *e: counted.append(e))
        w.clear_logs()
        syncer.run("calendar")
        assert w.calls()["sheets_write"] == 1  # the new tab, its rows and its protection together
        (log,) = _log_ranges(w)
        assert log["tab"] == "Changes" and set(log["range"]) == {"sheetId"}  # the whole tab
        assert CHIEF not in log["editors"].get("users", [])  # not even the chief: boardsheet's alone
        assert _type(w, STAKEHOLDER, "A2", "mine now").status_code == 403
        assert _type(w, CHIEF, "A2", "mine now").status_code == 403
        syncer.run("calendar")  # appends the first run's approval flags to the log
        w.clear_logs()
        syncer.run("calendar")
        assert w.calls()["sheets_write"] == 0  # unchanged: nothing to write
        # Someone removes it: the next run puts it back and reports it, like any protection of ours.
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": log["protectedRangeId"]}}])
        with caplog.at_level(logging.WARNING, logger="app.runtime.trust"):
            syncer.run("calendar")
        assert counted == [("calendar", "removed")]
        assert "'Changes'" in caplog.records[-1].getMessage()
        assert _type(w, STAKEHOLDER, "A2", "again").status_code == 403
        _config(w, protect="warn")
        w.sync()
        (warned,) = _log_ranges(w)
        assert warned["warningOnly"] is True
        assert _type(w, STAKEHOLDER, "A3", "warned, not blocked").status_code == 200
        _config(w, protect="off")
        w.sync()
        assert _log_ranges(w) == []


def test_a_flagged_card_renamed_and_moved_is_shown_and_logged_as_it_is_now(tmp_path: Path) -> None:
    with world(tmp_path, cards=5) as w:
        _setup(w)
        w.sync()
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        first = next(card for card in pair["unapproved"] if card["why"] == "unapproved in Scheduled")
        card_id, since = first["card_id"], first["since"]
        with w.trello_client() as client:
            lists = client.get(f"/1/boards/{w.board_id}/lists").json()
            published = next(item["id"] for item in lists if item["name"] == "Published")
            answer = client.put(f"/1/cards/{card_id}", params={"name": "Renamed teaser", "idList": published})
            answer.raise_for_status()
        w.sync()
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        (now,) = [card for card in pair["unapproved"] if card["card_id"] == card_id]
        assert (now["card"], now["why"], now["since"]) == ("Renamed teaser", "unapproved in Published", since)
        logged = [
            (c.card_name, c.after)
            for c in w.store.recent_changes("calendar")
            if c.action_type == "approvalMissing" and c.card_id == card_id
        ]
        assert logged[0] == ("Renamed teaser", "unapproved in Published")  # newest first
        assert len(logged) == 2
        w.sync()  # the flags logged by a run reach the Changes tab with the next one
        changes = [row[1:] for row in w.values("Changes")]
        before = f"“{first['card']}” unapproved in Scheduled"
        assert ["boardsheet", "Renamed teaser", "approval", before, "unapproved in Published"] in changes
