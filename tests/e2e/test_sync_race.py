"""Stakeholders editing between a run's read and its write (issue 8 §3), made deterministic by the Sheets
emulator's race hook: an edit armed under /_emulator/race fires just before the run's batchUpdate.

Invariant: a free-column cell is never lost and never lands on another card's row; deleted cards' rows
do not stay; a run that left rows behind never reports success.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.errors import RowsMoved
from tests.support.world import World, world

pytestmark = pytest.mark.http

KEY, TITLE, NOTES = 5, 1, 6  # Card ID, Title, and the stakeholder's Notes column right of them


def _with_notes(w: World) -> dict[str, str]:
    """A first sync, then a stakeholder's note on every card's row; returns card id -> note."""
    assert w.sync().outcome == "ok"
    rows = w.values()[1:]
    notes = {row[KEY]: f"note on {row[TITLE]}" for row in rows}
    cells = [{"values": [{"userEnteredValue": {"stringValue": "Notes"}}]}]
    cells += [{"values": [{"userEnteredValue": {"stringValue": notes[row[KEY]]}}]} for row in rows]
    start = {"sheetId": _sheet_id(w), "rowIndex": 0, "columnIndex": NOTES}
    w.batch_update([{"updateCells": {"start": start, "rows": cells, "fields": "userEnteredValue"}}])
    return notes


def _sheet_id(w: World) -> int:
    return int(w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id)


def _change_trello(w: World) -> tuple[dict[str, str], list[str]]:
    """Rename two cards and archive two: the run then updates and deletes rows by position."""
    renamed = {w.ids["Post 00002"]: "Renamed two", w.ids["Post 00007"]: "Renamed seven"}
    gone = [w.ids["Post 00004"], w.ids["Post 00009"]]
    with w.trello_client() as trello:
        for card, name in renamed.items():
            assert trello.put(f"/1/cards/{card}", params={"name": name}).status_code == 200
        for card in gone:
            assert trello.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
    return renamed, gone


def _arm(w: World, requests: list[dict[str, Any]]) -> None:
    body = {"spreadsheetId": w.spreadsheet_id, "requests": requests}
    assert httpx.put(f"{w.sheets_url}/_emulator/race", json=body).status_code == 200


def _sort_by(column: int, order: str) -> dict[str, Any]:
    specs = [{"dimensionIndex": column, "sortOrder": order}]
    return {"sortRange": {"range": {"sheetId": 0, "startRowIndex": 1}, "sortSpecs": specs}}


def _rows(start: int, end: int) -> dict[str, Any]:
    return {"sheetId": 0, "dimension": "ROWS", "startIndex": start, "endIndex": end}


# Each edit, and the grid rows (as the run read them) the stakeholder deletes with it.
STAKEHOLDER_EDITS: dict[str, tuple[list[dict[str, Any]], list[int]]] = {
    "sort by notes, descending": ([_sort_by(NOTES, "DESCENDING")], []),
    "sort by card id": ([_sort_by(KEY, "ASCENDING")], []),
    "insert two rows near the top": ([{"insertDimension": {"range": _rows(2, 4)}}], []),
    "insert a row at the very top of the data": ([{"insertDimension": {"range": _rows(1, 2)}}], []),
    "delete the first data row": ([{"deleteDimension": {"range": _rows(1, 2)}}], [1]),
    "delete a row and sort": (
        [{"deleteDimension": {"range": _rows(3, 4)}}, _sort_by(TITLE, "DESCENDING")],
        [3],
    ),
}


@pytest.mark.parametrize("edit", list(STAKEHOLDER_EDITS))
def test_notes_stay_on_their_card_whatever_a_stakeholder_does_mid_run(tmp_path: Path, edit: str) -> None:
    with world(tmp_path, cards=10) as w:
        notes = _with_notes(w)
        grid = w.values()
        before = {row[KEY]: row for row in grid[1:]}
        renamed, gone = _change_trello(w)
        requests, deleted_rows = STAKEHOLDER_EDITS[edit]
        removed_by_stakeholder = {grid[i][KEY] for i in deleted_rows}
        _arm(w, requests)
        result = w.sync()
        rows = [row for row in w.values()[1:] if any(row)]
        by_key = {row[KEY]: row for row in rows if len(row) > KEY and row[KEY]}
        for key, row in by_key.items():
            shown = row[NOTES] if len(row) > NOTES else ""
            # A note is on its own card's row, or the card's row was re-added after the stakeholder
            # deleted it (then without the note the stakeholder deleted with it).
            assert shown in (notes.get(key, ""), ""), f"{edit}: {shown!r} on {row[TITLE]!r}"
            if key not in removed_by_stakeholder:
                assert shown == notes[key], f"{edit}: the note of {before[key][TITLE]!r} was lost"
            assert row[TITLE] == renamed.get(key, before[key][TITLE] if key in before else row[TITLE])
        for key in gone:
            assert key not in by_key, f"{edit}: the archived card's row stayed"
        shown_notes = [row[NOTES] for row in rows if len(row) > NOTES and row[NOTES]]
        kept = [n for key, n in notes.items() if key not in gone and key not in removed_by_stakeholder]
        assert sorted(shown_notes) == sorted(kept), f"{edit}: notes lost or doubled"
        assert set(by_key) == set(before) - set(gone), f"{edit}: a card's row is missing"
        assert result.outcome == "ok", result.message
        assert w.sync().outcome == "noop"  # nothing left to do: the sheet is in sync for real


def test_rows_without_an_anchor_are_anchored_first_and_removed_by_the_next_run(tmp_path: Path) -> None:
    with world(tmp_path, cards=10) as w:
        notes = _with_notes(w)
        # Rows written before anchors existed: none of them carries one.
        lookup = {"developerMetadataLookup": {"metadataKey": "boardsheet.row"}}
        w.batch_update([{"deleteDeveloperMetadata": {"dataFilter": lookup}}])
        gone = w.ids["Post 00004"]
        with w.trello_client() as trello:
            assert trello.put(f"/1/cards/{gone}", params={"closed": "true"}).status_code == 200
        _arm(w, [_sort_by(NOTES, "DESCENDING")])
        first = w.sync()
        assert first.outcome == "ok" and first.rows_removed == 0
        assert "1 removal left for the next run" in first.message
        shown = {row[KEY]: row[NOTES] for row in w.values()[1:]}
        assert shown == notes  # the unchecked write deleted nothing: every note is on its card
        # The anchors went where the rows were read, before the stakeholder's sort moved them: the next
        # run finds them stale and anchors the rows again; the run after that removes the row, checked.
        for _ in range(2):
            later = w.sync()
            assert later.outcome == "ok"
            if later.rows_removed:
                break
        assert later.rows_removed == 1
        shown = {row[KEY]: row[NOTES] for row in w.values()[1:]}
        assert shown == {key: note for key, note in notes.items() if key != gone}
        assert w.sync().outcome == "noop"


def test_a_race_costs_one_more_read_and_write_and_the_normal_case_one_of_each(tmp_path: Path) -> None:
    with world(tmp_path, cards=10) as w:
        _with_notes(w)
        _change_trello(w)
        w.clear_logs()
        _arm(w, [_sort_by(NOTES, "DESCENDING")])
        assert w.sync().outcome == "ok"
        # The refused write, then the one made after reading again (the armed edit is not logged).
        assert w.calls() == {"trello": 2, "sheets_read": 2, "sheets_write": 2}
        with w.trello_client() as trello:
            assert trello.put(f"/1/cards/{w.ids['Post 00001']}", params={"name": "Again"}).status_code == 200
        w.clear_logs()
        assert w.sync().outcome == "ok"
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}


def test_a_second_race_fails_the_run_with_nothing_written_and_the_next_run_catches_up(tmp_path: Path) -> None:
    with world(tmp_path, cards=10) as w:
        notes = _with_notes(w)
        _renamed, gone = _change_trello(w)
        _arm(w, [_sort_by(NOTES, "DESCENDING")])
        _arm(w, [_sort_by(NOTES, "ASCENDING")])  # and again before the second attempt's write
        with pytest.raises(RowsMoved):
            w.sync()
        last = w.store.runs("calendar")[0]
        assert last.outcome == "failed" and "rows moved" in last.message  # never "in sync"
        assert {row[KEY] for row in w.values()[1:]} >= set(gone)  # nothing was written, nothing forgotten
        assert w.sync().rows_removed == 2
        shown = {row[KEY]: row[NOTES] for row in w.values()[1:]}
        assert shown == {key: note for key, note in notes.items() if key not in gone}


def test_a_note_typed_mid_run_stays_on_its_card(tmp_path: Path) -> None:
    with world(tmp_path, cards=10) as w:
        notes = _with_notes(w)
        renamed, gone = _change_trello(w)
        row = next(i for i, r in enumerate(w.values()) if r[KEY] in renamed)  # a row the run updates
        key = w.values()[row][KEY]
        start = {"sheetId": 0, "rowIndex": row, "columnIndex": NOTES}
        typed = [{"values": [{"userEnteredValue": {"stringValue": "typed while syncing"}}]}]
        _arm(w, [{"updateCells": {"start": start, "rows": typed, "fields": "userEnteredValue"}}])
        assert w.sync().outcome == "ok"
        shown = {r[KEY]: r[NOTES] for r in w.values()[1:]}
        assert shown == {k: n for k, n in notes.items() if k not in gone} | {key: "typed while syncing"}
