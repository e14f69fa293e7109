"""`boardsheet restore` and `boardsheet undo-archive` from the command line, over both emulators."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from tests.support.world import ALICE, World, cli_env, world

pytestmark = pytest.mark.http  # both emulators over loopback

runner = CliRunner()


def _notes(w: World, texts: list[str]) -> None:
    """A stakeholder writes `texts` down a free column right of the owned ones, from the header row."""
    width = 6  # Date, Title, Status, Network, Link, Card ID
    sheet_id = int(w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id)
    rows: list[dict[str, Any]] = [{"values": [{"userEnteredValue": {"stringValue": t}}]} for t in texts]
    start = {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": width}
    w.batch_update([{"updateCells": {"start": start, "rows": rows, "fields": "userEnteredValue"}}])


def test_restore_shows_the_plan_asks_and_writes_only_when_told(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        env = cli_env(w, tmp_path)
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        _notes(w, ["Notes", "keep me", "and me", "me too"])
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        good, at = w.values(), datetime.now(UTC).isoformat()
        _notes(w, ["Notes", "wrecked"])
        w.batch_update([_typed(w, "A2", "tbd")])  # a date overwritten: the preview shows the date back
        declined = runner.invoke(app, ["restore", "calendar", "--at", at], env=env, input="n\n")
        assert declined.exit_code == 0, declined.output
        assert "row 2, Notes: 'wrecked' -> 'keep me'" in declined.output
        assert f"row 2, Date: 'tbd' -> '{good[1][0]}'" in declined.output  # as the sheet shows it
        assert re.search(
            r"snapshot of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Europe/Paris\): 4 rows now", declined.output
        )
        assert "nothing written" in declined.output and w.values()[1][-1] == "wrecked"
        unanswered = runner.invoke(app, ["restore", "calendar", "--at", at, "--json"], env=env, input="")
        assert unanswered.exit_code == 0 and json.loads(unanswered.stdout)["written"] is False
        assert w.values()[1][-1] == "wrecked"
        done = runner.invoke(app, ["restore", "calendar", "--at", at, "--yes", "--json"], env=env)
        assert done.exit_code == 0, done.output
        document = json.loads(done.output)
        assert document["written"] is True
        assert document["cells"] == [
            {"row": 2, "column": "Date", "now": "tbd", "back": good[1][0]},
            {"row": 2, "column": "Notes", "now": "wrecked", "back": "keep me"},
        ]
        assert w.values() == good


def _typed(w: World, cell: str, text: str) -> dict[str, Any]:
    """An updateCells request typing `text` into one cell (A1 notation, one letter) of the Calendar tab."""
    sheet_id = int(w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id)
    start = {"sheetId": sheet_id, "rowIndex": int(cell[1:]) - 1, "columnIndex": ord(cell[0]) - ord("A")}
    rows = [{"values": [{"userEnteredValue": {"stringValue": text}}]}]
    return {"updateCells": {"start": start, "rows": rows, "fields": "userEnteredValue"}}


def test_restore_refuses_unknown_times_and_times_before_any_snapshot(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        bad = runner.invoke(app, ["restore", "calendar", "--at", "soon"], env=env)
        assert bad.exit_code == 2 and "2h ago" in bad.output
        early = runner.invoke(app, ["restore", "calendar", "--at", "2000-01-01T00:00Z", "--yes"], env=env)
        assert early.exit_code == 1 and "no snapshot" in early.output


def test_undo_archive_lists_and_unarchives_with_yes(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        env = cli_env(w, tmp_path)
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        card = w.ids["Post 00001"]
        with w.trello_client(ALICE) as alice:
            assert alice.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
            username = alice.get("/1/members/me").json()["username"]
        args = ["undo-archive", "calendar", "--by", username, "--since", "1h ago", "--yes"]
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        assert "Post 00001" in result.output and "unarchived 1 card;" in result.output
        with w.trello_client() as trello:
            assert trello.get(f"/1/cards/{card}").json()["closed"] is False
        again = runner.invoke(app, args, env=env)  # the card is open now: nothing to re-send
        assert again.exit_code == 0, again.output
        assert "not archived now (skipped): Post 00001" in again.output
        assert "nothing unarchived; 1 card not archived now" in again.output
        assert "unarchived 1 card" not in again.output
        scripted = runner.invoke(app, [*args, "--json"], env=env)
        document = json.loads(scripted.stdout)
        assert document["unarchived"] == [] and document["archived"] == []
        assert [entry["card"] for entry in document["not_archived_now"]] == [card]


def test_undo_archive_shows_a_deleted_row_as_the_sheet_did_and_no_answer_writes_nothing(
    tmp_path: Path,
) -> None:
    with world(tmp_path, cards=3) as w:
        env = cli_env(w, tmp_path)
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        shown = w.values()[1]  # the first row as the sheet shows it: its date, not a serial number
        archived, deleted = w.ids["Post 00001"], shown[-1]
        with w.trello_client(ALICE) as alice:
            assert alice.put(f"/1/cards/{archived}", params={"closed": "true"}).status_code == 200
            assert alice.delete(f"/1/cards/{deleted}").status_code == 200
            username = alice.get("/1/members/me").json()["username"]
        args = ["undo-archive", "calendar", "--by", username, "--since", "1h ago"]
        declined = runner.invoke(app, args, env=env, input="n\n")
        assert declined.exit_code == 0, declined.output
        assert f"Date: {shown[0]}," in declined.output  # e.g. 2026-12-01 09:30, as the sheet showed it
        assert "nothing unarchived" in declined.output and "unarchived 0" not in declined.output
        synced = runner.invoke(app, ["sync", "--allow-mass-delete"], env=env)  # 2 of 3 rows go
        assert synced.exit_code == 0, synced.output  # and the base forgets the deleted card
        scripted = runner.invoke(app, [*args, "--json"], env=env, input="")  # no answer: nothing done
        assert scripted.exit_code == 0, scripted.output
        document = json.loads(scripted.stdout)
        assert document["unarchived"] == []
        assert document["deleted"][0]["last_row"]["Date"] == shown[0]  # from the tab's last snapshot
        assert document["deleted"][0]["last_row"]["Card ID"] == deleted
        with w.trello_client() as trello:
            assert trello.get(f"/1/cards/{archived}").json()["closed"] is True
        nobody = runner.invoke(
            app, ["undo-archive", "calendar", "--by", "carol", "--since", "1h ago"], env=env
        )
        assert re.search(
            r"carol archived or deleted no card since \S+ \d\d:\d\d \(Europe/Paris\)", nobody.output
        )
