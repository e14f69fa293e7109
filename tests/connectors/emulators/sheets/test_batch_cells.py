"""batchUpdate requests on cells: updateCells, appendCells, repeatCell, merges, borders, rules, protection."""

from __future__ import annotations

import pytest

from tests.support.sheets_emulator import SheetsEmulator, error, rows

pytestmark = pytest.mark.http  # the emulator over loopback

FIELDS = (
    "sheets(properties(sheetId,title,gridProperties),"
    "data(rowData(values(userEnteredValue,effectiveValue,formattedValue)),columnMetadata(developerMetadata)))"
)


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    return emulator.create("Cells", tabs=["Calendar"])


def values(emulator: SheetsEmulator, book: str, rng: str = "Calendar") -> list[list[str]]:
    got: list[list[str]] = (
        emulator.call("GET", f"/v4/spreadsheets/{book}/values/{rng}").json().get("values", [])
    )
    return got


def test_update_cells_with_start_and_with_range(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(
        book,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 1},
                "rows": rows(["b", 2], ["c"]),
                "fields": "userEnteredValue",
            }
        },
    )
    assert values(emulator, book) == [["", "b", "2"], ["", "c"]]
    emulator.batch(
        book,
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 2,
                    "startColumnIndex": 1,
                    "endColumnIndex": 3,
                },
                "rows": rows(["B"]),
                "fields": "userEnteredValue",
            }
        },
    )
    assert values(emulator, book) == [["", "B"]]
    beyond = {"start": {"sheetId": 0, "rowIndex": 1000}, "rows": rows(["x"]), "fields": "*"}
    assert "beyond the last requested row" in error(emulator.batch(book, {"updateCells": beyond}))


def test_fields_mask_keeps_what_it_does_not_name(emulator: SheetsEmulator, book: str) -> None:
    bold = {"userEnteredFormat": {"textFormat": {"bold": True}}}
    emulator.batch(
        book, {"updateCells": {"start": {"sheetId": 0}, "rows": rows(["x"]), "fields": "userEnteredValue"}}
    )
    emulator.batch(
        book,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1},
                "cell": bold,
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    stored = emulator.state.get(book).sheets[0].cell(0, 0)
    assert stored["formattedValue"] == "x" and stored["userEnteredFormat"] == bold["userEnteredFormat"]
    emulator.batch(
        book,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1},
                "cell": {},
                "fields": "userEnteredValue",
            }
        },
    )
    assert emulator.state.get(book).sheets[0].cell(0, 0) == {"userEnteredFormat": bold["userEnteredFormat"]}


def test_append_cells_goes_after_the_last_row_and_grows_the_grid(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(
        book,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 1}},
                "fields": "gridProperties.rowCount",
            }
        },
    )
    for text in ("a", "b"):
        assert (
            emulator.batch(
                book, {"appendCells": {"sheetId": 0, "rows": rows([text]), "fields": "userEnteredValue"}}
            ).status_code
            == 200
        )
    assert values(emulator, book) == [["a"], ["b"]]
    assert emulator.state.get(book).sheets[0].row_count == 2


def test_get_with_grid_data_and_fields_mask(emulator: SheetsEmulator, book: str) -> None:
    emulator.batch(
        book,
        {"updateCells": {"start": {"sheetId": 0}, "rows": rows(["Title", 3]), "fields": "userEnteredValue"}},
    )
    got = emulator.call(
        "GET", f"/v4/spreadsheets/{book}", ranges="'Calendar'", includeGridData="true", fields=FIELDS
    ).json()
    sheet = got["sheets"][0]
    assert set(got) == {"sheets"}
    assert sheet["properties"] == {
        "sheetId": 0,
        "title": "Calendar",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    assert sheet["data"][0]["rowData"] == [
        {
            "values": [
                {
                    "userEnteredValue": {"stringValue": "Title"},
                    "effectiveValue": {"stringValue": "Title"},
                    "formattedValue": "Title",
                },
                {
                    "userEnteredValue": {"numberValue": 3},
                    "effectiveValue": {"numberValue": 3},
                    "formattedValue": "3",
                },
            ]
        }
    ]
    assert len(sheet["data"][0]["columnMetadata"]) == 26


def test_merges_borders_validation_and_conditional_formats(emulator: SheetsEmulator, book: str) -> None:
    rng = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}
    border = {"style": "SOLID", "color": {"red": 1}}
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "y"}]}, "strict": True}
    fmt_rule = {
        "ranges": [rng],
        "booleanRule": {"condition": {"type": "NOT_BLANK"}, "format": {"textFormat": {"bold": True}}},
    }
    response = emulator.batch(
        book,
        {"mergeCells": {"range": rng, "mergeType": "MERGE_ROWS"}},
        {"updateBorders": {"range": rng, "top": border, "innerHorizontal": border}},
        {"setDataValidation": {"range": rng, "rule": rule}},
        {"addConditionalFormatRule": {"rule": fmt_rule, "index": 0}},
    )
    assert response.json()["replies"] == [{}, {}, {}, {}]
    sheet = emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]
    assert sheet["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2},
        {"startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2},
    ]
    assert sheet["conditionalFormats"][0]["ranges"] == [{k: v for k, v in rng.items() if k != "sheetId"}]
    stored = emulator.state.get(book).sheets[0]
    assert stored.cell(1, 1)["userEnteredFormat"]["borders"] == {"top": border}
    assert stored.cell(1, 1)["dataValidation"] == rule
    emulator.batch(book, {"unmergeCells": {"range": rng}})
    assert "merges" not in emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]


def test_protected_ranges_add_update_delete(emulator: SheetsEmulator, book: str) -> None:
    rng = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}
    added = emulator.batch(
        book,
        {
            "addProtectedRange": {
                "protectedRange": {"range": rng, "description": "header", "warningOnly": True}
            }
        },
    ).json()
    protected = added["replies"][0]["addProtectedRange"]["protectedRange"]
    assert protected["range"] == {"startRowIndex": 0, "endRowIndex": 1}
    assert (protected["description"], protected["warningOnly"], protected["requestingUserCanEdit"]) == (
        "header",
        True,
        True,
    )
    pid = protected["protectedRangeId"]
    emulator.batch(
        book,
        {
            "updateProtectedRange": {
                "protectedRange": {"protectedRangeId": pid, "description": "top"},
                "fields": "description",
            }
        },
    )
    listed = emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]["protectedRanges"]
    assert [p["description"] for p in listed] == ["top"]
    emulator.batch(book, {"deleteProtectedRange": {"protectedRangeId": pid}})
    assert "protectedRanges" not in emulator.call("GET", f"/v4/spreadsheets/{book}").json()["sheets"][0]
    assert "No protected range" in error(
        emulator.batch(book, {"deleteProtectedRange": {"protectedRangeId": pid}})
    )


def test_append_cells_adds_rows_but_not_columns(emulator: SheetsEmulator, book: str) -> None:
    too_wide = rows([f"c{n}" for n in range(27)])
    message = error(
        emulator.batch(book, {"appendCells": {"sheetId": 0, "rows": too_wide, "fields": "userEnteredValue"}})
    )
    expected = "Attempting to write column: 26, beyond the last requested column of: 25"
    assert message == f"Invalid requests[0].appendCells: {expected}"
