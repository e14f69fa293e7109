"""Writes stay atomic and cost what they touch: a failed write applies nothing, a good one copies its rows.

In process (no socket): the emulator's state and its one entry point, edits.run, as the app calls it.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.emulators.sheets.edits import run
from connectors.emulators.sheets.errors import ApiError
from connectors.emulators.sheets.get import spreadsheet_json
from connectors.emulators.sheets.routes import Call
from connectors.emulators.sheets.state import Json, SheetsState

ROWS = 200
BAD = {"deleteSheet": {"sheetId": 999}}  # refused after the requests before it were applied


def call(method: str, book: str, rest: str, body: Any = None, **params: str) -> Json:
    """One API call through the emulator's entry point."""
    return run(STATE, Call(method, book, rest, {k: [v] for k, v in params.items()}, body))


STATE = SheetsState(seed=1)


@pytest.fixture
def book() -> str:
    """A tab of ROWS rows of 4 values with a format on the first column."""
    created = STATE.create(
        {"properties": {"title": "COW"}, "sheets": [{"properties": {"title": "Calendar"}}]}
    )
    values = [[f"r{r}", r, f"=B{r + 1}*2", "x"] for r in range(ROWS)]
    call("PUT", created.spreadsheet_id, f"/values/Calendar!A1:D{ROWS}", {"values": values},
         valueInputOption="USER_ENTERED")  # fmt: skip
    bold = {"userEnteredFormat": {"textFormat": {"bold": True}}}
    first_column = {"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 1}
    repeat = {"repeatCell": {"range": first_column, "cell": bold, "fields": "userEnteredFormat"}}
    call("POST", created.spreadsheet_id, ":batchUpdate", {"requests": [repeat]})
    return created.spreadsheet_id


def whole(book: str) -> Json:
    """The spreadsheet as spreadsheets.get with grid data answers it."""
    return spreadsheet_json(STATE.get(book), [], True, None)


GRID = {"sheetId": 0, "startRowIndex": 2, "endRowIndex": 6, "startColumnIndex": 0, "endColumnIndex": 3}
CHANGES = {
    "updateCells": {"start": {"sheetId": 0, "rowIndex": 3}, "rows": [{"values": [{"userEnteredValue":
                    {"stringValue": "changed"}}]}], "fields": "userEnteredValue"},
    "repeatCell": {"range": GRID, "cell": {"userEnteredFormat": {"textFormat": {"italic": True}}},
                   "fields": "userEnteredFormat.textFormat.italic"},
    "insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}},
    "insertColumns": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}},
    "deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 4, "endIndex": 9}},
    "sortRange": {"range": {**GRID, "endRowIndex": ROWS}, "sortSpecs": [{"dimensionIndex": 1,
                  "sortOrder": "DESCENDING"}]},
    "appendCells": {"sheetId": 0, "rows": [{"values": [{"userEnteredValue": {"stringValue": "new"}}]}],
                    "fields": "userEnteredValue"},
    "moveDimension": {"source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 2},
                      "destinationIndex": 10},
    "copyPaste": {"source": GRID, "destination": {**GRID, "startRowIndex": 20, "endRowIndex": 24}},
    "updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0,
                                  "endIndex": 5}, "properties": {"pixelSize": 40}, "fields": "pixelSize"},
    "mergeCells": {"range": GRID, "mergeType": "MERGE_ALL"},
    "updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {"rowCount": 150,
                              "columnCount": 3}}, "fields": "gridProperties"},
}  # fmt: skip


@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_batch_update_refused_after_a_change_applies_nothing(book: str, kind: str) -> None:
    before, committed = whole(book), STATE.get(book)
    rows_before = list(committed.sheets[0].rows)
    request = {"insertDimension": CHANGES[kind]} if kind == "insertColumns" else {kind: CHANGES[kind]}
    with pytest.raises(ApiError, match="No grid with id: 999"):
        call("POST", book, ":batchUpdate", {"requests": [request, BAD]})
    assert whole(book) == before
    assert STATE.get(book) is committed and committed.sheets[0].rows == rows_before


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_change_above_does_apply_on_its_own(book: str, kind: str) -> None:
    before = whole(book)
    request = {"insertDimension": CHANGES[kind]} if kind == "insertColumns" else {kind: CHANGES[kind]}
    call("POST", book, ":batchUpdate", {"requests": [request]})
    assert whole(book) != before  # so each refusal above tests a real change


def test_values_batch_update_refused_on_its_second_range_applies_nothing(book: str) -> None:
    before = whole(book)
    data = [{"range": "Calendar!A1", "values": [["changed"]]}, {"range": "Nowhere!A1", "values": [["x"]]}]
    with pytest.raises(ApiError):
        call("POST", book, "/values:batchUpdate", {"valueInputOption": "RAW", "data": data})
    assert whole(book) == before


def test_a_one_row_write_copies_that_row_and_shares_the_others(book: str) -> None:
    rows_before = list(STATE.get(book).sheets[0].rows)
    call("PUT", book, "/values/Calendar!A5", {"values": [["edited"]]}, valueInputOption="RAW")
    rows_after = STATE.get(book).sheets[0].rows
    assert type(rows_after) is list  # sealed: reads never copy
    new = [r for r, (old, now) in enumerate(zip(rows_before, rows_after, strict=True)) if old is not now]
    assert new == [4]  # before: every row was a fresh deep copy
    assert rows_after[4][0]["userEnteredValue"] == {"stringValue": "edited"}
    assert rows_before[4][0]["userEnteredValue"] == {"stringValue": "r4"}  # the old row untouched


def test_an_append_copies_no_row_it_only_read(book: str) -> None:
    rows_before = list(STATE.get(book).sheets[0].rows[:ROWS])
    call("POST", book, "/values/Calendar!A:D:append", {"values": [["appended"]]}, valueInputOption="RAW")
    rows_after = STATE.get(book).sheets[0].rows
    assert all(old is now for old, now in zip(rows_before, rows_after[:ROWS], strict=True))
    assert rows_after[ROWS][0]["userEnteredValue"] == {"stringValue": "appended"}
