"""read_tab(whole=..., formats=...): view tabs whole, with rich text and sizes, in the same single request."""

from __future__ import annotations

from typing import Any

import google.oauth2.credentials
import pytest

from connectors.errors import TabNotFound
from connectors.sheets.client import SheetsConnector
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the Sheets emulator over loopback

MAIN, LOG, VIEW = "Calendar", "Changes", "Calendar view"
RICH = {
    "userEnteredValue": {"stringValue": "14\nLaunch"},
    "textFormatRuns": [{"startIndex": 3, "format": {"link": {"uri": "https://trello.com/c/1"}}}],
    "userEnteredFormat": {"wrapStrategy": "WRAP"},
    "note": "all cards",
}


@pytest.fixture
def sheets(shared_sheets_emulator: SheetsEmulator) -> SheetsConnector:
    token = google.oauth2.credentials.Credentials(token="test-token")  # type: ignore[no-untyped-call]
    return SheetsConnector(token, api_url=shared_sheets_emulator.url, requests_per_minute=10_000)


def seed(sheets: SheetsConnector, tabs: list[str]) -> tuple[str, dict[str, int]]:
    spreadsheet_id = sheets.create_spreadsheet("Book", tabs)
    ids = {p["title"]: p["sheetId"] for p in sheets.tabs(spreadsheet_id)}
    if VIEW in ids:
        span = {"sheetId": ids[VIEW], "dimension": "ROWS", "startIndex": 1, "endIndex": 2}
        sheets.batch_update(
            spreadsheet_id,
            [
                {"updateCells": {"start": {"sheetId": ids[VIEW], "rowIndex": 1, "columnIndex": 2},
                                 "rows": [{"values": [RICH]}], "fields": "*"}},
                {"updateDimensionProperties": {"range": span, "properties": {"pixelSize": 90},
                                               "fields": "pixelSize"}},
            ],
        )  # fmt: skip
    return spreadsheet_id, ids


def test_a_view_tab_comes_whole_with_formats_in_one_request(
    sheets: SheetsConnector, shared_sheets_emulator: SheetsEmulator
) -> None:
    spreadsheet_id, ids = seed(sheets, [MAIN, VIEW])
    before = len(shared_sheets_emulator.requests())
    tab = sheets.read_tab(spreadsheet_id, MAIN, whole=[VIEW], formats=True)
    assert len(shared_sheets_emulator.requests()) == before + 1
    view = tab.others[VIEW]
    assert view.sheet_id == ids[VIEW]
    cell: dict[str, Any] = view.rows[1][2]
    assert cell["textFormatRuns"] == RICH["textFormatRuns"]
    assert (cell["note"], cell["userEnteredFormat"]["wrapStrategy"]) == ("all cards", "WRAP")
    assert view.row_properties[1]["pixelSize"] == 90
    assert len(view.column_properties) == view.column_count


def test_without_formats_the_read_stays_as_small_as_before(sheets: SheetsConnector) -> None:
    spreadsheet_id, _ = seed(sheets, [MAIN, VIEW])
    tab = sheets.read_tab(spreadsheet_id, MAIN, whole=[VIEW])
    cell = tab.others[VIEW].rows[1][2]
    assert "textFormatRuns" not in cell and "note" not in cell
    assert tab.others[VIEW].row_properties == []


def test_missing_tabs_among_several_others_leave_the_present_ones(
    sheets: SheetsConnector, shared_sheets_emulator: SheetsEmulator
) -> None:
    spreadsheet_id, _ = seed(sheets, [MAIN, LOG])  # the view tab is missing, the Changes tab is there
    before = len(shared_sheets_emulator.requests())
    tab = sheets.read_tab(spreadsheet_id, MAIN, also=[LOG], whole=[VIEW], formats=True)
    assert set(tab.others) == {LOG}  # the Changes tab is still found
    assert len(shared_sheets_emulator.requests()) == before + 3  # the failed read, the tab list, the read
    with pytest.raises(TabNotFound):
        sheets.read_tab(spreadsheet_id, "Nope", also=[LOG], whole=[VIEW])
