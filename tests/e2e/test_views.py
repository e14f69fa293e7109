"""Views end to end: the month grid and the list tab's looks in the run's one read and one write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config.models import parse_config
from app.errors import DuplicateKeyError
from app.runtime.sync import Syncer
from connectors.errors import NotFound
from tests.support.clock import FakeClock
from tests.support.world import COLUMNS, World, world

VIEWS = "    views: [{type: month, tab: Calendar view, months: 2}]\n"


def configure(w: World, sheet: str = "", extra: str = VIEWS) -> None:
    w.config = parse_config(
        f"""
pairs:
  - name: calendar
    trello: {{board: {w.board_id}}}
    sheet: {{spreadsheet: {w.spreadsheet_id}, tab: Calendar{sheet}}}
    timezone: Europe/Paris
    changes_tab: Changes
{extra}    columns:{COLUMNS}""",
        env={},
    )


@contextmanager
def writes(w: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[dict[str, Any]]]]:
    """The request lists of every batchUpdate the runs send."""
    sent: list[list[dict[str, Any]]] = []
    original = w.sheets.batch_update

    def spy(spreadsheet_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
        sent.append(requests)
        return original(spreadsheet_id, requests)

    monkeypatch.setattr(w.sheets, "batch_update", spy)
    yield sent


def view_cells(w: World) -> dict[str, Any]:
    answer = httpx.get(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
        params={"ranges": "'Calendar view'", "includeGridData": "true"},
        headers={"Authorization": "Bearer test"},
    )
    answer.raise_for_status()
    sheet: dict[str, Any] = answer.json()["sheets"][0]
    return sheet


def test_views_keep_the_run_budgets(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w, sheet=", link: title, key_column: hidden, colour_by: labels")
        w.clear_logs()
        first = w.sync()
        assert first.outcome == "ok" and "views updated" in first.message
        # Two tabs were missing: the failed read, the tab list, then the read; one write adds both.
        assert w.calls() == {"trello": 1, "sheets_read": 3, "sheets_write": 1}
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}  # the grid tab came in the same read
        w.trello_app.state.trello.cards[
            w.ids["card-0"] if "card-0" in w.ids else next(iter(w.trello_app.state.trello.cards))
        ]["name"] += " (edited)"
        w.clear_logs()
        result = w.sync()
        assert result.cells_changed == 1 and "views updated" in result.message
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        assert any("(edited)" in cell for row in w.values("Calendar view") for cell in row)


def test_a_stakeholder_edit_of_the_grid_is_put_back_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path) as w:
        configure(w)
        w.sync()
        sheet_id = view_cells(w)["properties"]["sheetId"]
        w.batch_update(
            [
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 5, "columnIndex": 3},
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "moved it!"}}]}],
                        "fields": "userEnteredValue,textFormatRuns",
                    }
                }
            ]
        )
        with writes(w, monkeypatch) as sent:
            assert w.sync().message == "0 added, 0 removed, 0 cells changed, views updated"
        (requests,) = sent
        starts = [r["updateCells"]["start"] for r in requests]
        # The edited cell, and the freshness line (the run writes anyway, so the line says it is fresh).
        assert starts == [{"sheetId": sheet_id, "rowIndex": r, "columnIndex": c} for r, c in [(5, 3), (1, 0)]]
        assert all("moved it!" not in cell for row in w.values("Calendar view") for cell in row)
        assert w.sync().outcome == "noop"


def test_the_grid_shows_links_colours_and_row_heights(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w)
        w.sync()
        sheet = view_cells(w)
        assert sheet["properties"]["gridProperties"]["frozenRowCount"] == 3
        cells = [cell for row in sheet["data"][0]["rowData"] for cell in row.get("values", [])]
        linked = [
            cell
            for cell in cells
            if any("link" in run.get("format", {}) for run in cell.get("textFormatRuns", []))
        ]
        assert len(linked) >= 12  # every card of the board, each a link in its day
        links = {
            run["format"]["link"]["uri"]
            for cell in linked
            for run in cell["textFormatRuns"]
            if "link" in run.get("format", {})
        }
        cards = {link for link in links if link.startswith("https://trello.com/c/")}
        assert len(cards) == 12 and links - cards == {w.trello.board_snapshot(w.board_id)["url"]}
        heights = {row["pixelSize"] for row in sheet["data"][0]["rowMetadata"]}
        assert max(heights) > 21


def test_the_run_keeps_the_calendar_feed(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w)
        w.sync()
        feed = w.store.load_feed("calendar")
        assert feed is not None and len(feed["events"]) == 12


def test_list_tab_looks(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        configure(w, extra="")
        w.sync()  # synced before `link: title`: titles are plain text
        configure(w, sheet=", link: title, key_column: hidden, colour_by: labels", extra="")
        result = w.sync()
        assert result.outcome == "ok" and result.cells_changed == 0
        answer = httpx.get(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
            params={"ranges": "Calendar", "includeGridData": "true"},
            headers={"Authorization": "Bearer test"},
        ).json()["sheets"][0]
        rows = answer["data"][0]["rowData"]
        header = [c.get("formattedValue") for c in rows[0]["values"]]
        title, key = header.index("Title"), header.index("Card ID")
        links = [row["values"][title]["userEnteredFormat"]["textFormat"]["link"]["uri"] for row in rows[1:]]
        assert len(links) == 12 and all(link.startswith("https://trello.com/c/") for link in links)
        assert answer["data"][0]["columnMetadata"][key].get("hiddenByUser") is True
        rules = answer["conditionalFormats"]
        # Only the labels cards carry (the board's LinkedIn label is on no card).
        assert [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules] == [
            "Instagram"
        ]
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}


@pytest.mark.slow
def test_views_budgets_at_1000_cards(tmp_path: Path) -> None:
    with world(tmp_path, cards=1_000) as w:
        configure(w, extra="    views: [{type: month, tab: Calendar view, months: 3}]\n")
        w.sync()
        w.clear_logs()
        assert w.sync().outcome == "noop"
        # ⌈1000/1000⌉ + 1: Trello's full answer of 1,000 cards needs an empty page to prove the board whole.
        assert w.calls() == {"trello": 2, "sheets_read": 1}


def test_the_freshness_line_costs_an_idle_pair_a_write_per_quarter_hour_and_says_when_runs_fail(
    tmp_path: Path,
) -> None:
    with world(tmp_path) as w:
        configure(w)
        clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp())
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, clock=clock.datetime)
        syncer.run("calendar")
        assert w.values("Calendar view")[1][0].startswith(
            "Synced from Trello board «Calendar board» at 10:00"
        )
        clock.advance(timedelta(minutes=14))
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}  # the line is fresh enough: no write
        clock.advance(timedelta(minutes=1))
        w.clear_logs()
        refreshed = syncer.run("calendar")
        # It says what it wrote: the line alone, not "views updated" (the grid did not change).
        assert (refreshed.outcome, refreshed.message) == ("ok", "in sync (12 rows), freshness line refreshed")
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}  # only the line
        assert "at 10:15 (Europe/Paris)" in w.values("Calendar view")[1][0]

        clock.advance(timedelta(minutes=1))
        pair = w.config.pair("calendar")
        gone = pair.model_copy(update={"trello": pair.trello.model_copy(update={"board": "0" * 24})})
        syncer.config = w.config.model_copy(update={"pairs": [gone]})  # Trello answers 404
        w.clear_logs()
        with pytest.raises(NotFound):
            syncer.run("calendar")
        # The failure line's read and write are the run's: recorded as what was sent (it once showed 2/0).
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        failed = w.store.runs("calendar", limit=1)[0]
        assert (failed.outcome, failed.sheets_reads, failed.sheets_writes) == ("failed", 1, 1)
        line = w.values("Calendar view")[1][0]
        assert line.startswith("⚠ Not synced since 10:16 (Europe/Paris): Trello has no board 000")
        assert "as of 10:15" in line  # in plain words: no exception class for stakeholders

        clock.advance(timedelta(minutes=1))
        syncer.config = w.config
        back = syncer.run("calendar")  # the board is back: the line says so at once
        assert (back.outcome, back.message) == ("ok", "in sync (12 rows), freshness line refreshed")
        assert w.values("Calendar view")[1][0].startswith(
            "Synced from Trello board «Calendar board» at 10:17"
        )


def test_a_held_or_refused_run_writes_no_line_anywhere_and_a_failed_one_marks_every_line(
    tmp_path: Path,
) -> None:
    # Held or refused, the run writes nothing to the sheet (the status page and the CLI say why): the
    # views' line and the list tab's keep the last sync's time. Only a failure says "Not synced since".
    with world(tmp_path) as w:
        configure(w, sheet=", freshness: true")
        clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp())
        syncer = Syncer(w.config, w.trello, w.sheets, w.store, clock=clock.datetime)
        syncer.run("calendar")
        synced = "Synced from Trello board «Calendar board» at 10:00"
        clock.advance(timedelta(minutes=20))
        with w.trello_client() as client:
            for i in range(4):
                client.put(f"/1/cards/{w.ids[f'Post {i:05d}']}", params={"closed": "true"}).raise_for_status()
        w.clear_logs()
        assert syncer.run("calendar").outcome == "held"
        assert w.calls() == {"trello": 1, "sheets_read": 1}
        assert w.values()[0][0].startswith(synced) and w.values("Calendar view")[1][0].startswith(synced)

        rows = w.values()
        w.paste_key(3, rows[2][5])
        w.clear_logs()
        with pytest.raises(DuplicateKeyError):
            syncer.run("calendar")
        assert w.calls() == {"trello": 1, "sheets_read": 1}
        assert w.values()[0][0].startswith(synced) and w.values("Calendar view")[1][0].startswith(synced)

        pair = w.config.pair("calendar")
        gone = pair.model_copy(update={"trello": pair.trello.model_copy(update={"board": "0" * 24})})
        syncer.config = w.config.model_copy(update={"pairs": [gone]})  # Trello answers 404
        clock.advance(timedelta(minutes=1))
        with pytest.raises(NotFound):
            syncer.run("calendar")
        # Not synced since the first run that did not sync (the held one), in both lines.
        for line in (w.values()[0][0], w.values("Calendar view")[1][0]):
            assert line.startswith("⚠ Not synced since 10:20 (Europe/Paris): Trello has no board"), line
            assert line.endswith("shows Trello as of 10:00")
