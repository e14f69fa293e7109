"""SheetsConnector against the Sheets emulator over real HTTP: one-request reads, writes, errors, threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from connectors.errors import BadResponse, NotFound, TabNotFound
from connectors.sheets.client import SheetsConnector
from connectors.sheets.tab_snapshot import TabSnapshot
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the Sheets emulator over loopback

TAB = "Bob's calendar"  # a quote in the title: the range must be quoted and escaped


@pytest.fixture
def sheets(shared_sheets_emulator: SheetsEmulator) -> SheetsConnector:
    return shared_sheets_emulator.connector()


def header(*titles: str) -> dict[str, Any]:
    return {"values": [{"userEnteredValue": {"stringValue": t}} for t in titles]}


def seed_calendar(sheets: SheetsConnector) -> tuple[str, int]:
    """A spreadsheet with a typed, frozen-header calendar tab and column metadata; returns (id, sheetId)."""
    spreadsheet_id = sheets.create_spreadsheet("Content calendar", [TAB, "Other"])
    sheet_id = next(p["sheetId"] for p in sheets.tabs(spreadsheet_id) if p["title"] == TAB)
    date_cell = {
        "userEnteredValue": {"numberValue": 46000},
        "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
    }
    rows = [
        header("Date", "Title", "Done", "Card ID"),
        {
            "values": [
                date_cell,
                {"userEnteredValue": {"stringValue": "=IMPORTXML(x)"}},
                {"userEnteredValue": {"boolValue": True}},
                {"userEnteredValue": {"stringValue": "card-1"}},
            ]
        },
        {"values": [{}, {"userEnteredValue": {"stringValue": "no date"}}]},
    ]
    sheets.batch_update(
        spreadsheet_id,
        [
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                    "rows": rows,
                    "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                }
            },
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                    "fields": "gridProperties.frozenRowCount",
                }
            },
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": "boardsheet.column",
                        "metadataValue": "key",
                        "location": {
                            "dimensionRange": {
                                "sheetId": sheet_id,
                                "dimension": "COLUMNS",
                                "startIndex": 3,
                                "endIndex": 4,
                            }
                        },
                        "visibility": "DOCUMENT",
                    }
                }
            },
        ],
    )
    return spreadsheet_id, sheet_id


def test_read_tab_is_one_request_with_typed_cells_and_column_metadata(
    shared_sheets_emulator: SheetsEmulator, sheets: SheetsConnector
) -> None:
    spreadsheet_id, sheet_id = seed_calendar(sheets)
    shared_sheets_emulator.clear()
    before = sheets.requests_made

    tab = sheets.read_tab(spreadsheet_id, TAB)

    assert sheets.requests_made - before == 1
    log = shared_sheets_emulator.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", f"/v4/spreadsheets/{spreadsheet_id}", 200)
    ]
    assert isinstance(tab, TabSnapshot)
    assert (tab.spreadsheet_id, tab.sheet_id, tab.title, tab.frozen_rows) == (
        spreadsheet_id,
        sheet_id,
        TAB,
        1,
    )
    assert tab.row_count >= 3 and tab.column_count >= 4
    assert [c["userEnteredValue"]["stringValue"] for c in tab.rows[0]] == ["Date", "Title", "Done", "Card ID"]
    date, title, done, key = tab.rows[1]
    assert date["userEnteredValue"] == {"numberValue": 46000}
    assert date["effectiveValue"] == {"numberValue": 46000}
    assert date["formattedValue"] == "2025-12-09"
    # RAW text stays text: a formula-looking title is a string, never evaluated.
    assert title["userEnteredValue"] == {"stringValue": "=IMPORTXML(x)"}
    assert done["effectiveValue"] == {"boolValue": True}
    assert key["formattedValue"] == "card-1"
    # The gap before "no date" is {}; the trailing empty cells and rows are trimmed.
    assert tab.rows[2] == [{}, tab.rows[2][1]]
    assert tab.rows[2][1]["formattedValue"] == "no date"
    assert len(tab.rows) == 3
    assert [m["metadataKey"] for m in tab.column_metadata[3]] == ["boardsheet.column"]
    assert tab.column_metadata[3][0]["metadataValue"] == "key"
    assert tab.column_metadata[:3] == [[], [], []]


def test_read_tab_of_an_empty_tab_has_no_rows(sheets: SheetsConnector) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Empty", ["Blank"])

    tab = sheets.read_tab(spreadsheet_id, "Blank")

    assert tab.rows == []
    assert tab.title == "Blank"
    assert tab.frozen_rows == 0


def test_batch_update_is_exactly_one_request_and_none_when_empty(
    shared_sheets_emulator: SheetsEmulator, sheets: SheetsConnector
) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Writes", ["Calendar"])
    sheet_id = sheets.tabs(spreadsheet_id)[0]["sheetId"]
    shared_sheets_emulator.clear()
    append = {"appendCells": {"sheetId": sheet_id, "rows": [header("a", "b")], "fields": "userEnteredValue"}}

    answer = sheets.batch_update(spreadsheet_id, [append, append])
    nothing = sheets.batch_update(spreadsheet_id, [])

    assert [(e["method"], e["path"]) for e in shared_sheets_emulator.requests()] == [
        ("POST", f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate")
    ]
    assert answer["spreadsheetId"] == spreadsheet_id
    assert len(answer["replies"]) == 2
    assert nothing["replies"] == []
    assert len(sheets.read_tab(spreadsheet_id, "Calendar").rows) == 2


def test_an_invalid_batch_update_is_a_bad_response_and_applies_nothing(sheets: SheetsConnector) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Atomic", ["Calendar"])
    sheet_id = sheets.tabs(spreadsheet_id)[0]["sheetId"]
    good = {"appendCells": {"sheetId": sheet_id, "rows": [header("a")], "fields": "userEnteredValue"}}

    with pytest.raises(BadResponse) as caught:
        sheets.batch_update(spreadsheet_id, [good, {"deleteSheet": {"sheetId": 999999}}])

    assert caught.value.status == 400
    assert sheets.read_tab(spreadsheet_id, "Calendar").rows == []


def test_add_tab_returns_the_new_sheet_id(sheets: SheetsConnector) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Tabs", ["First"])

    sheet_id = sheets.add_tab(spreadsheet_id, "Second")

    assert [(p["title"], p["sheetId"]) for p in sheets.tabs(spreadsheet_id)][1] == ("Second", sheet_id)
    assert sheets.read_tab(spreadsheet_id, "Second").sheet_id == sheet_id


def test_a_missing_tab_is_tab_not_found_and_a_missing_spreadsheet_is_not_found(
    sheets: SheetsConnector,
) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Lookups", ["Calendar"])

    with pytest.raises(TabNotFound) as missing_tab:
        sheets.read_tab(spreadsheet_id, "Calendr")
    with pytest.raises(NotFound) as missing_book:
        sheets.read_tab("no-such-spreadsheet", "Calendar")

    assert missing_tab.value.status == 400
    assert "Calendr" in str(missing_tab.value)
    assert not isinstance(missing_book.value, TabNotFound)
    assert missing_book.value.status == 404
    assert missing_book.value.service == "sheets"


def test_concurrent_reads_from_worker_threads_all_succeed(sheets: SheetsConnector) -> None:
    spreadsheet_id, _ = seed_calendar(sheets)
    results: list[TabSnapshot] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(sheets.read_tab(spreadsheet_id, TAB))
        except BaseException as exc:  # reported below; a thread must not swallow it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 18
    assert all(r.rows == results[0].rows for r in results)
