"""The list tab's freshness line end to end: its own row above the header, in the run's one write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config.models import parse_config
from app.errors import DuplicateKeyError
from app.runtime.restore import Restorer
from app.runtime.sync import Syncer
from connectors.errors import NotFound
from tests.support.clock import FakeClock
from tests.support.world import COLUMNS, World, world

HEADER = ["Date", "Title", "Status", "Network", "Link", "Card ID"]
LOOKS = ", key_column: hidden, colour_by: labels"


def configure(w: World, sheet: str = ", freshness: true" + LOOKS) -> None:
    w.config = parse_config(
        f"""
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar{sheet}}}
    timezone: Europe/Paris
    columns:{COLUMNS}""",
        env={},
    )


def syncer_at(w: World, clock: FakeClock) -> Syncer:
    return Syncer(w.config, w.trello, w.sheets, w.store, clock=clock.datetime)


def nine() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp())


def sheet_of(w: World) -> dict[str, Any]:
    """The Calendar tab's properties and row metadata as the API returns them."""
    answer = httpx.get(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
        params={"ranges": "Calendar", "includeGridData": "true"},
        headers={"Authorization": "Bearer test"},
    )
    answer.raise_for_status()
    sheet: dict[str, Any] = answer.json()["sheets"][0]
    return sheet


def rows_range(sid: int, row: int) -> dict[str, Any]:
    return {"sheetId": sid, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}


def sheet_id(w: World) -> int:
    return int(sheet_of(w)["properties"]["sheetId"])


def test_the_line_sits_above_the_header_and_an_idle_pair_writes_it_once_a_quarter_hour(
    tmp_path: Path,
) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer = syncer_at(w, clock)
        first = syncer.run("calendar")
        assert (first.sheets_reads, first.sheets_writes) == (1, 1)
        rows = w.values()
        assert rows[0][0].startswith("Synced from Trello board «Calendar board» at 10:00 (Europe/Paris)")
        assert rows[1] == HEADER and len(rows) == 2 + 12  # the line is no data row
        sheet = sheet_of(w)
        assert sheet["properties"]["gridProperties"]["frozenRowCount"] == 2
        marked = sheet["data"][0]["rowMetadata"][0].get("developerMetadata", [])
        assert [item["metadataKey"] for item in marked] == ["boardsheet.freshness"]

        clock.advance(timedelta(minutes=14))
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"  # colours, hidden key and line all as wanted
        assert w.calls() == {"trello": 1, "sheets_read": 1}
        clock.advance(timedelta(minutes=1))
        w.clear_logs()
        only_line = syncer.run("calendar")
        assert (only_line.outcome, only_line.message) == ("ok", "in sync (12 rows), freshness line refreshed")
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}  # only the line
        assert "at 10:15 (Europe/Paris)" in w.values()[0][0]

        clock.advance(timedelta(minutes=2))  # not due, but a card changes: the line rides in that write
        with w.trello_client() as client:
            client.put(f"/1/cards/{w.ids['Post 00000']}", params={"name": "Renamed post"}).raise_for_status()
        w.clear_logs()
        changed = syncer.run("calendar")
        assert (changed.outcome, changed.sheets_writes) == ("ok", 1)
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        rows = w.values()
        assert "at 10:17 (Europe/Paris)" in rows[0][0] and rows[1] == HEADER
        assert any(row[1] == "Renamed post" for row in rows[2:])


def test_sorting_and_deleting_data_rows_never_move_the_line(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer = syncer_at(w, clock)
        syncer.run("calendar")
        sid, before = sheet_id(w), w.values()
        key_of_third = before[4][5]
        w.batch_update(
            [
                {"updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 4, "columnIndex": 6},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "approved"}}]}],
                    "fields": "userEnteredValue",
                }},
                {"sortRange": {
                    "range": {"sheetId": sid, "startRowIndex": 2},
                    "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
                }},
                {"deleteDimension": {"range": rows_range(sid, 2)}},
            ]
        )  # fmt: skip
        clock.advance(timedelta(minutes=1))
        again = syncer.run("calendar")
        assert again.outcome == "ok" and again.rows_added == 1  # the deleted row comes back
        rows = w.values()
        assert rows[0][0].startswith("Synced from Trello board «Calendar board» at 10:01")
        assert rows[1] == HEADER and len(rows) == 14
        assert sorted(row[5] for row in rows[2:]) == sorted(row[5] for row in before[2:])
        noted = [row for row in rows[2:] if len(row) > 6 and row[6] == "approved"]
        assert [row[5] for row in noted] == [key_of_third]  # the note stayed with its card
        clock.advance(timedelta(minutes=1))
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def _lines(w: World) -> list[int]:
    """The grid rows carrying boardsheet's freshness metadata."""
    metadata = sheet_of(w)["data"][0].get("rowMetadata", [])
    return [
        row
        for row, entry in enumerate(metadata)
        if any(item["metadataKey"] == "boardsheet.freshness" for item in entry.get("developerMetadata", []))
    ]


@pytest.mark.parametrize("on", [True, False])
def test_our_line_moved_below_the_header_is_deleted_and_one_line_stays_above_it(
    tmp_path: Path, on: bool
) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer_at(w, clock).run("calendar")
        sid, before = sheet_id(w), w.values()
        # Someone unfreezes the top rows and moves our line among the data rows (rows inserted and
        # moved around it): its metadata goes with it.
        w.batch_update(
            [
                {"updateSheetProperties": {
                    "properties": {"sheetId": sid, "gridProperties": {"frozenRowCount": 0}},
                    "fields": "gridProperties.frozenRowCount",
                }},
                {"moveDimension": {"source": rows_range(sid, 0), "destinationIndex": 6}},
                {"insertDimension": {"range": rows_range(sid, 1)}},
            ]
        )  # fmt: skip
        assert _lines(w) == [6]
        configure(w, ", freshness: true" + LOOKS if on else LOOKS)
        syncer = syncer_at(w, clock)
        clock.advance(timedelta(minutes=1))
        again = syncer.run("calendar")
        assert (again.outcome, again.rows_added, again.rows_removed) == ("ok", 0, 0)
        rows = w.values()
        header = 1 if on else 0
        assert rows[header] == HEADER
        assert not any(row and row[0].startswith("Synced from") for row in rows[header:])
        assert sorted(row[5] for row in rows[header + 1 :] if len(row) > 5) == sorted(
            row[5] for row in before[2:]
        )
        assert _lines(w) == ([0] if on else [])
        if on:
            assert rows[0][0].startswith("Synced from Trello board «Calendar board» at 10:01")
        clock.advance(timedelta(minutes=1))
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_a_title_typed_above_the_header_is_kept_and_the_line_goes_below_it(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w, sheet="")
        clock = nine()
        syncer_at(w, clock).run("calendar")
        sid = sheet_id(w)
        w.batch_update(
            [
                {"insertDimension": {"range": rows_range(sid, 0)}},
                {"updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "Q2 content calendar"}}]}],
                    "fields": "userEnteredValue",
                }},
            ]
        )  # fmt: skip
        configure(w)  # the line turned on: the header is found below the stakeholder's title
        syncer = syncer_at(w, clock)
        first = syncer.run("calendar")
        assert (first.outcome, first.rows_added, first.rows_removed) == ("ok", 0, 0)
        rows = w.values()
        assert rows[0] == ["Q2 content calendar"]
        assert rows[1][0].startswith("Synced from Trello board «Calendar board» at 10:00")
        assert rows[2] == HEADER and len(rows) == 3 + 12
        assert sheet_of(w)["properties"]["gridProperties"]["frozenRowCount"] == 3
        clock.advance(timedelta(minutes=1))
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"  # the line is known as ours: no second one
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_a_failing_run_says_since_when_and_a_refused_or_held_run_writes_nothing(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer = syncer_at(w, clock)
        syncer.run("calendar")
        rows = w.values()

        # A copy-pasted key: the run is refused, and neither the line nor anything else is written.
        w.paste_key(3, rows[2][5])
        clock.advance(timedelta(minutes=20))
        w.clear_logs()
        with pytest.raises(DuplicateKeyError):
            syncer.run("calendar")
        assert w.calls()["sheets_write"] == 0
        assert w.values()[0][0].startswith("Synced from Trello board «Calendar board» at 10:00")
        w.paste_key(3, rows[3][5])

        # A mass archive: the plan is held, and the line stays as it was too.
        with w.trello_client() as client:
            for i in range(4):
                card = w.ids[f"Post {i:05d}"]
                client.put(f"/1/cards/{card}", params={"closed": "true"}).raise_for_status()
        w.clear_logs()
        assert syncer.run("calendar").outcome == "held"
        assert w.calls()["sheets_write"] == 0
        with w.trello_client() as client:
            for i in range(4):
                card = w.ids[f"Post {i:05d}"]
                client.put(f"/1/cards/{card}", params={"closed": "false"}).raise_for_status()
        assert w.values()[0][0].startswith("Synced from Trello board «Calendar board» at 10:00")

        pair = w.config.pair("calendar")
        gone = pair.model_copy(update={"trello": pair.trello.model_copy(update={"board": "0" * 24})})
        syncer.config = w.config.model_copy(update={"pairs": [gone]})  # Trello answers 404
        w.clear_logs()
        with pytest.raises(NotFound):
            syncer.run("calendar")
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        line = w.values()[0][0]
        # In the stakeholders' words: what happened, not an exception's class ("NotFound").
        assert line.startswith("⚠ Not synced since 10:20 (Europe/Paris): Trello has no board 0000")
        assert "as of 10:00" in line and "NotFound" not in line
        assert w.store.runs("calendar")[0].message.startswith("Trello has no board 0000")
        clock.advance(timedelta(minutes=5))
        w.clear_logs()
        with pytest.raises(NotFound):
            syncer.run("calendar")
        assert w.calls() == {"trello": 1}  # still failing, said less than freshness_every ago

        clock.advance(timedelta(minutes=1))
        syncer.config = w.config
        back = syncer.run("calendar")
        assert back.outcome == "ok"
        assert w.values()[0][0].startswith("Synced from Trello board «Calendar board» at 10:26")


def test_turned_off_the_line_goes_and_the_header_is_row_1_again(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer_at(w, clock).run("calendar")
        configure(w, sheet=LOOKS)
        syncer = syncer_at(w, clock)
        off = syncer.run("calendar")
        assert (off.outcome, off.message) == ("ok", "in sync (12 rows), freshness line removed")
        rows = w.values()
        assert rows[0] == HEADER and len(rows) == 1 + 12
        assert sheet_of(w)["properties"]["gridProperties"]["frozenRowCount"] == 1
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


def test_with_views_both_lines_share_the_runs_one_write(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        views = "    views: [{type: month, tab: Calendar view, months: 1}]\n"
        w.config = parse_config(
            f"""
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar, freshness: true}}
    timezone: Europe/Paris
{views}    columns:{COLUMNS}""",
            env={},
        )
        clock = nine()
        syncer = syncer_at(w, clock)
        syncer.run("calendar")
        clock.advance(timedelta(minutes=15))
        w.clear_logs()
        refreshed = syncer.run("calendar")
        assert (refreshed.outcome, refreshed.sheets_writes) == ("ok", 1)
        assert refreshed.message == "in sync (12 rows), freshness lines refreshed"
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        assert "at 10:15 (Europe/Paris)" in w.values()[0][0]
        assert "at 10:15 (Europe/Paris)" in w.values("Calendar view")[1][0]
        assert w.values()[1] == HEADER


def test_refreshing_only_the_line_keeps_no_new_snapshot_and_a_restore_brings_the_line_back(
    tmp_path: Path,
) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = nine()
        syncer = syncer_at(w, clock)
        syncer.run("calendar")
        syncer.run("calendar")  # reads the tab as the first run left it: its snapshot
        kept = w.store.snapshot_count("calendar")
        clock.advance(timedelta(minutes=15))
        assert syncer.run("calendar").outcome == "ok"  # the line only
        clock.advance(timedelta(minutes=1))
        assert syncer.run("calendar").outcome == "noop"  # reads the refreshed line: the same values
        assert w.store.snapshot_count("calendar") == kept
        good = w.values()
        sid = sheet_id(w)
        w.batch_update([{"deleteDimension": {"range": rows_range(sid, 3)}}])
        w.clear_logs()
        result, written = Restorer(w.config, w.sheets, w.store).restore("calendar", datetime.now(UTC), bool)
        assert written and all(edit.row != 0 for edit in result.plan.edits)  # no edit shown for the line
        assert w.values()[1:] == good[1:]
        clock.advance(timedelta(minutes=1))
        assert syncer.run("calendar").outcome == "ok"  # the line the restore emptied is written again
        rows = w.values()
        assert (
            rows[0][0].startswith("Synced from Trello board «Calendar board» at 10:17") and rows[1] == HEADER
        )
