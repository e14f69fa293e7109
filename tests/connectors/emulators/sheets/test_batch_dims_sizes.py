"""Row and column sizes and order: autoResizeDimensions measures text; sortRange refuses vertical merges."""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    """A tab with a header and rows k0..k4."""
    spreadsheet_id = emulator.create("Dims", tabs=["Calendar"])
    table = [["Title", "N"], ["k0", "3"], ["k1", ""], ["k2", "1"], ["k3", "3"], ["k4", "2"]]
    path = f"/v4/spreadsheets/{spreadsheet_id}/values/Calendar!A1"
    emulator.call("PUT", path, {"values": table}, valueInputOption="USER_ENTERED")
    return spreadsheet_id


def _column_widths(emulator: SheetsEmulator, book: str) -> list[int]:
    got = emulator.call("GET", f"/v4/spreadsheets/{book}", fields="sheets.data.columnMetadata").json()
    return [c["pixelSize"] for c in got["sheets"][0]["data"][0]["columnMetadata"]]


def test_auto_resize_measures_text_as_recorded(emulator: SheetsEmulator) -> None:
    # Recorded (WorksheetTest.test_auto_resize_columns): 1,024 "A"s in Arial 10 make column A 8,691 px.
    book = emulator.create("Resize", tabs=["Sheet1"])
    rows = [["A" * 1024, "Hi", ""], ["", "Hello, world", ""]]
    emulator.call(
        "PUT", f"/v4/spreadsheets/{book}/values/Sheet1!A1", {"values": rows}, valueInputOption="RAW"
    )
    resize = {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "COLUMNS", "endIndex": 3}}}
    assert emulator.batch(book, resize).status_code == 200
    widths = _column_widths(emulator, book)
    assert widths[0] == 8691
    assert 40 < widths[1] < 100  # the longest text of the column decides
    assert widths[2] == 100  # an empty column keeps its width
    bold = {
        "repeatCell": {
            "range": {"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2},
            "cell": {"userEnteredFormat": {"textFormat": {"bold": True, "fontSize": 20}}},
            "fields": "userEnteredFormat.textFormat",
        }
    }
    emulator.batch(book, bold, resize)
    assert _column_widths(emulator, book)[1] > 2 * widths[1]
    rows_resize = {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "ROWS", "endIndex": 2}}}
    emulator.call(
        "PUT",
        f"/v4/spreadsheets/{book}/values/Sheet1!C1",
        {"values": [["one\ntwo\nthree"]]},
        valueInputOption="RAW",
    )
    assert emulator.batch(book, rows_resize).status_code == 200
    got = emulator.call("GET", f"/v4/spreadsheets/{book}", fields="sheets.data.rowMetadata").json()
    heights = [r["pixelSize"] for r in got["sheets"][0]["data"][0]["rowMetadata"][:2]]
    assert heights[0] == 3 * 21 and heights[1] > 21  # three lines of 10 pt; one line of 20 pt


def test_sort_refuses_vertical_merges(emulator: SheetsEmulator, book: str) -> None:
    merge = {
        "mergeCells": {
            "range": {
                "sheetId": 0,
                "startRowIndex": 2,
                "endRowIndex": 4,
                "startColumnIndex": 0,
                "endColumnIndex": 1,
            },
            "mergeType": "MERGE_ALL",
        }
    }
    assert emulator.batch(book, merge).status_code == 200
    before = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar").json()["values"]
    sort = {
        "sortRange": {
            "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 6},
            "sortSpecs": [{"dimensionIndex": 1}],
        }
    }
    refused = emulator.batch(book, sort)
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "Invalid requests[0].sortRange: Cannot sort a range that contains vertically merged cells."
    )
    assert emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar").json()["values"] == before
    below = {
        "sortRange": {
            "range": {"sheetId": 0, "startRowIndex": 4, "endRowIndex": 6},
            "sortSpecs": [{"dimensionIndex": 1}],
        }
    }
    assert emulator.batch(book, below).status_code == 200  # rows the merge does not span
    across = {
        "mergeCells": {
            "range": {
                "sheetId": 0,
                "startRowIndex": 5,
                "endRowIndex": 6,
                "startColumnIndex": 0,
                "endColumnIndex": 2,
            },
            "mergeType": "MERGE_ALL",
        }
    }
    emulator.batch(book, across)
    assert emulator.batch(book, below).status_code == 200  # a merge within one row is no vertical merge
