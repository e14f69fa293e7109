"""spreadsheets.batchUpdate: atomicity, discovery validation, tab requests and their replies."""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator, error, rows

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    return emulator.create("Batch", tabs=["Calendar"])


def test_one_bad_request_applies_nothing(emulator: SheetsEmulator, book: str) -> None:
    before = emulator.call("GET", f"/v4/spreadsheets/{book}", includeGridData="true").json()
    response = emulator.batch(
        book,
        {"updateCells": {"start": {"sheetId": 0}, "rows": rows(["written?"]), "fields": "userEnteredValue"}},
        {"addSheet": {"properties": {"title": "New tab"}}},
        {"deleteSheet": {"sheetId": 999}},
    )
    assert error(response) == "Invalid requests[2].deleteSheet: No grid with id: 999"
    assert emulator.call("GET", f"/v4/spreadsheets/{book}", includeGridData="true").json() == before


def test_unknown_fields_anywhere_are_refused_with_googles_text(emulator: SheetsEmulator, book: str) -> None:
    nested = {
        "updateCells": {
            "start": {"sheetId": 0},
            "rows": [{"values": [{"userEnteredValu": {}}]}],
            "fields": "*",
        }
    }
    assert error(emulator.batch(book, {"updateCells": {"x": 1}})) == (
        "Invalid JSON payload received. Unknown name \"x\" at 'requests[0].update_cells': Cannot find field."
    )
    assert error(emulator.batch(book, {"sortRange": {}}, nested)) == (
        'Invalid JSON payload received. Unknown name "userEnteredValu" at '
        "'requests[1].update_cells.rows[0].values[0]': Cannot find field."
    )
    bad_enum = {"sortRange": {"range": {"sheetId": 0}, "sortSpecs": [{"sortOrder": "UP"}]}}
    assert "sort_specs[0].sort_order" in error(emulator.batch(book, bad_enum))
    assert 'Unknown name "bogus"' in error(
        emulator.call("POST", f"/v4/spreadsheets/{book}:batchUpdate", {"bogus": 1})
    )


def test_add_update_and_delete_sheets(emulator: SheetsEmulator, book: str) -> None:
    reply = emulator.batch(
        book,
        {
            "addSheet": {
                "properties": {"title": "Archive", "gridProperties": {"rowCount": 5, "columnCount": 3}}
            }
        },
    ).json()
    props = reply["replies"][0]["addSheet"]["properties"]
    assert {k: props[k] for k in ("title", "index", "sheetType", "gridProperties")} == {
        "title": "Archive",
        "index": 1,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 5, "columnCount": 3},
    }
    assert error(emulator.batch(book, {"addSheet": {"properties": {"title": "archive"}}})).endswith(
        "already exists. Please enter another name."
    )
    update = {
        "properties": {
            "sheetId": props["sheetId"],
            "title": "Old",
            "gridProperties": {"frozenRowCount": 1, "rowCount": 2},
        },
        "fields": "title,gridProperties.frozenRowCount,gridProperties.rowCount",
    }
    assert emulator.batch(book, {"updateSheetProperties": update}).status_code == 200
    sheets = emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"]
    assert sheets[1]["properties"]["title"] == "Old"
    assert sheets[1]["properties"]["gridProperties"] == {"rowCount": 2, "columnCount": 3, "frozenRowCount": 1}
    emulator.batch(book, {"deleteSheet": {"sheetId": props["sheetId"]}})
    assert error(emulator.batch(book, {"deleteSheet": {"sheetId": 0}})) == (
        "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
    )


def test_update_sheet_properties_needs_fields_and_leaves_the_rest(
    emulator: SheetsEmulator, book: str
) -> None:
    assert "fields" in error(
        emulator.batch(book, {"updateSheetProperties": {"properties": {"sheetId": 0, "title": "X"}}})
    )
    emulator.batch(
        book,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "title": "Ignored", "hidden": False},
                "fields": "hidden",
            }
        },
    )
    props = emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]["properties"]
    assert props["title"] == "Calendar" and "hidden" not in props
    hide_all = {"properties": {"sheetId": 0, "hidden": True}, "fields": "hidden"}
    assert error(emulator.batch(book, {"updateSheetProperties": hide_all})).endswith(
        "You can't hide all the sheets in a document."
    )


def test_frozen_rows_limit_resizes_and_deletes(emulator: SheetsEmulator, book: str) -> None:
    shrink = {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": 3, "frozenRowCount": 1}},
        "fields": "gridProperties(rowCount,frozenRowCount)",
    }
    assert emulator.batch(book, {"updateSheetProperties": shrink}).status_code == 200
    freeze_all = {
        "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 3}},
        "fields": "gridProperties.frozenRowCount",
    }
    assert error(emulator.batch(book, {"updateSheetProperties": freeze_all})).endswith(
        "You can't freeze all visible rows on the sheet."
    )
    rows_range = {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}
    assert error(emulator.batch(book, {"deleteDimension": {"range": rows_range}})).endswith(
        "Sorry, it is not possible to delete all non-frozen rows."
    )
    assert (
        emulator.batch(book, {"deleteDimension": {"range": {**rows_range, "endIndex": 2}}}).status_code == 200
    )
    assert emulator.state.get(book).sheets[0].row_count == 2


def test_wrongly_typed_fields_are_400(emulator: SheetsEmulator, book: str) -> None:
    response = emulator.batch(book, {"mergeCells": {"range": {"sheetId": 0, "startRowIndex": "x"}}})
    assert (
        error(response)
        == "Invalid value at 'requests[0].merge_cells.range.start_row_index' (TYPE_INT32), \"x\""
    )
    rows_not_lists = {"values": [1]}
    put = emulator.call(
        "PUT", f"/v4/spreadsheets/{book}/values/Calendar!A1", rows_not_lists, valueInputOption="RAW"
    )
    assert (
        error(put) == "Invalid value at 'data.values[0]' (type.googleapis.com/google.protobuf.ListValue), 1"
    )
