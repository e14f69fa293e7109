"""A batchUpdate costs what it changes: a sort moves rows without copying them, row anchors are found
without reaching every row, and the batch stays atomic (test_copy_on_write.py holds the other writes).

The big board's batches (20,000 rows: appendCells, a sortRange over whole rows, a row anchor each) took
longer than the client waited; a resync's checks on 10% of them cost as much as the whole first write.
In process: the emulator's state and its entry point, edits.run; rows are compared by identity (a row
copied is a new object), never by time.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.emulators.sheets.edits import run
from connectors.emulators.sheets.errors import ApiError
from connectors.emulators.sheets.get import spreadsheet_json
from connectors.emulators.sheets.routes import Call
from connectors.emulators.sheets.state import Json, SheetsState

ROWS = 60
STATE = SheetsState(seed=2)
WHOLE_ROWS = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": ROWS}  # no column bounds: whole rows


def call(book: str, rest: str, body: Any, method: str = "POST", **params: str) -> Json:
    return run(STATE, Call(method, book, rest, {k: [v] for k, v in params.items()}, body))


def batch(book: str, *requests: Json) -> Json:
    return call(book, ":batchUpdate", {"requests": list(requests)})


def anchor(row: int, metadata_id: int | None = None) -> Json:
    where = {"sheetId": 0, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}
    given: Json = {
        "metadataKey": "boardsheet.row",
        "metadataValue": f"k{row}",
        "location": {"dimensionRange": where},
    }
    return {
        "createDeveloperMetadata": {"developerMetadata": {**given, "metadataId": metadata_id or 1000 + row}}
    }


def unanchor(row: int, metadata_id: int) -> Json:
    where = {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}}
    lookup = {
        "metadataId": metadata_id,
        "metadataLocation": where,
        "locationMatchingStrategy": "EXACT_LOCATION",
    }
    return {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}


def sort(column: int, order: str = "ASCENDING") -> Json:
    return {"sortRange": {"range": WHOLE_ROWS, "sortSpecs": [{"dimensionIndex": column, "sortOrder": order}]}}


@pytest.fixture
def book() -> str:
    """ROWS rows (a number ascending in B, its negation in C), each anchored as boardsheet anchors them."""
    created = STATE.create(
        {"sheets": [{"properties": {"title": "Calendar", "gridProperties": {"rowCount": ROWS}}}]}
    )
    values = [[f"r{r}", r, -r] for r in range(ROWS)]
    call(
        created.spreadsheet_id,
        f"/values/Calendar!A1:C{ROWS}",
        {"values": values},
        "PUT",
        valueInputOption="RAW",
    )
    batch(created.spreadsheet_id, *(anchor(r) for r in range(ROWS)))
    return created.spreadsheet_id


def rows_and_metas(book: str) -> tuple[list[Any], list[Any]]:
    sheet = STATE.get(book).sheets[0]
    return list(sheet.rows), list(sheet.row_meta)


def test_a_sort_of_rows_already_in_order_copies_no_row(book: str) -> None:
    rows, metas = rows_and_metas(book)
    batch(book, sort(1))
    after_rows, after_metas = rows_and_metas(book)
    assert all(old is new for old, new in zip(rows + metas, after_rows + after_metas, strict=True))


def test_a_sort_over_whole_rows_moves_them_uncopied_with_their_anchors(book: str) -> None:
    rows, metas = rows_and_metas(book)
    batch(book, sort(2))  # C holds -r: the rows reverse
    after_rows, after_metas = rows_and_metas(book)
    assert all(new is old for new, old in zip(after_rows, reversed(rows), strict=True))
    assert all(new is old for new, old in zip(after_metas, reversed(metas), strict=True))
    located = spreadsheet_json(STATE.get(book), [], True, None)["sheets"][0]["data"][0]["rowMetadata"]
    assert located[0]["developerMetadata"][0]["metadataValue"] == f"k{ROWS - 1}"


def test_anchor_checks_copy_only_the_rows_they_check(book: str) -> None:
    rows, metas = rows_and_metas(book)
    checked = (5, 40)
    batch(book, *(r for row in checked for r in (unanchor(row, 1000 + row), anchor(row))))
    after_rows, after_metas = rows_and_metas(book)
    assert all(old is new for old, new in zip(rows, after_rows, strict=True))
    assert [r for r in range(ROWS) if metas[r] is not after_metas[r]] == list(checked)


def test_an_anchor_check_still_fails_the_batch_once_rows_moved_within_it(book: str) -> None:
    # The first check gathers where anchors are; the sort then moves every row: the second check must
    # see its anchor gone from row 7 (now on row ROWS - 8), so re-creating its id fails the batch whole.
    before = spreadsheet_json(STATE.get(book), [], True, None)
    with pytest.raises(ApiError, match="already exists"):
        batch(book, unanchor(3, 1003), anchor(3), sort(2), unanchor(7, 1007), anchor(7))
    assert spreadsheet_json(STATE.get(book), [], True, None) == before
    # Where it went, the same check passes: the anchors are found at their new rows.
    moved = ROWS - 1 - 7
    batch(book, unanchor(3, 1003), anchor(3), sort(2), unanchor(moved, 1007), anchor(moved, 1007))


def test_a_sort_then_a_refused_request_applies_nothing(book: str) -> None:
    before, rows = spreadsheet_json(STATE.get(book), [], True, None), rows_and_metas(book)[0]
    with pytest.raises(ApiError, match="No grid with id: 9"):
        batch(book, sort(2), {"deleteSheet": {"sheetId": 9}})
    assert spreadsheet_json(STATE.get(book), [], True, None) == before
    assert all(old is new for old, new in zip(rows, rows_and_metas(book)[0], strict=True))
