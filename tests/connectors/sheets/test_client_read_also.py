"""read_tab(also=...): other tabs' ids and first rows come in the same single request."""

from __future__ import annotations

from typing import Any

import google.oauth2.credentials
import pytest

from connectors.errors import TabNotFound
from connectors.sheets.client import SheetsConnector
from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the Sheets emulator over loopback

MAIN, LOG = "Bob's calendar", "Changes"


@pytest.fixture
def sheets(shared_sheets_emulator: SheetsEmulator) -> SheetsConnector:
    token = google.oauth2.credentials.Credentials(token="test-token")  # type: ignore[no-untyped-call]
    return SheetsConnector(token, api_url=shared_sheets_emulator.url, requests_per_minute=10_000)


def requests_made(emulator: SheetsEmulator, since: int) -> list[dict[str, Any]]:
    """The emulator's request log after the first `since` entries."""
    return emulator.requests()[since:]


def texts(*values: str) -> dict[str, Any]:
    """A row of string cells."""
    return {"values": [{"userEnteredValue": {"stringValue": value}} for value in values]}


def test_an_existing_other_tab_comes_with_its_id_and_first_row_only(
    sheets: SheetsConnector, shared_sheets_emulator: SheetsEmulator
) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Book", [LOG, MAIN])  # the log tab first: order is free
    ids = {p["title"]: p["sheetId"] for p in sheets.tabs(spreadsheet_id)}
    sheets.batch_update(
        spreadsheet_id,
        [
            {"appendCells": {"sheetId": ids[LOG], "rows": [texts("When", "Who"), texts("x", "y")],
                             "fields": "userEnteredValue"}},
            {"appendCells": {"sheetId": ids[MAIN], "rows": [texts("Title"), texts("Post")],
                             "fields": "userEnteredValue"}},
        ],
    )  # fmt: skip
    before = len(requests_made(shared_sheets_emulator, 0))

    tab = sheets.read_tab(spreadsheet_id, MAIN, also=[LOG])

    assert len(requests_made(shared_sheets_emulator, before)) == 1
    assert (tab.title, tab.sheet_id, len(tab.rows)) == (MAIN, ids[MAIN], 2)
    log = tab.others[LOG]
    assert log.sheet_id == ids[LOG]
    assert [cell["formattedValue"] for cell in log.rows[0]] == ["When", "Who"] and len(log.rows) == 1


def test_a_missing_other_tab_is_absent_and_a_missing_main_tab_still_raises(
    sheets: SheetsConnector, shared_sheets_emulator: SheetsEmulator
) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Book", [MAIN])
    before = len(requests_made(shared_sheets_emulator, 0))

    tab = sheets.read_tab(spreadsheet_id, MAIN, also=[LOG])

    assert tab.title == MAIN and tab.others == {}
    # The combined read failed; the main tab alone did not.
    assert len(requests_made(shared_sheets_emulator, before)) == 2
    with pytest.raises(TabNotFound):
        sheets.read_tab(spreadsheet_id, "Calendr", also=[LOG])


def test_without_also_nothing_changes(sheets: SheetsConnector) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Book", [MAIN, LOG])
    assert sheets.read_tab(spreadsheet_id, MAIN).others == {}
