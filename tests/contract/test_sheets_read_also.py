"""read_tab(also=...): other tabs' ids and first rows come in the same single request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import google.oauth2.credentials
import pytest
import requests

from connectors.emulators.common import ServerThread
from connectors.emulators.sheets.app import create_app
from connectors.errors import TabNotFound
from connectors.sheets.client import SheetsConnector

MAIN, LOG = "Bob's calendar", "Changes"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(quota_per_minute=None)) as running:
        yield running


@pytest.fixture
def sheets(server: ServerThread) -> SheetsConnector:
    token = google.oauth2.credentials.Credentials(token="test-token")  # type: ignore[no-untyped-call]
    return SheetsConnector(token, api_url=server.url, requests_per_minute=10_000)


def requests_made(server: ServerThread, since: int) -> list[dict[str, Any]]:
    """The emulator's request log after the first `since` entries."""
    entries: list[dict[str, Any]] = requests.get(f"{server.url}/_emulator/requests", timeout=10).json()
    return entries[since:]


def texts(*values: str) -> dict[str, Any]:
    """A row of string cells."""
    return {"values": [{"userEnteredValue": {"stringValue": value}} for value in values]}


def test_an_existing_other_tab_comes_with_its_id_and_first_row_only(
    sheets: SheetsConnector, server: ServerThread
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
    before = len(requests_made(server, 0))

    tab = sheets.read_tab(spreadsheet_id, MAIN, also=[LOG])

    assert len(requests_made(server, before)) == 1
    assert (tab.title, tab.sheet_id, len(tab.rows)) == (MAIN, ids[MAIN], 2)
    log = tab.others[LOG]
    assert log.sheet_id == ids[LOG]
    assert [cell["formattedValue"] for cell in log.rows[0]] == ["When", "Who"] and len(log.rows) == 1


def test_a_missing_other_tab_is_absent_and_a_missing_main_tab_still_raises(
    sheets: SheetsConnector, server: ServerThread
) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Book", [MAIN])
    before = len(requests_made(server, 0))

    tab = sheets.read_tab(spreadsheet_id, MAIN, also=[LOG])

    assert tab.title == MAIN and tab.others == {}
    assert len(requests_made(server, before)) == 2  # the combined read failed; the main tab alone did not
    with pytest.raises(TabNotFound):
        sheets.read_tab(spreadsheet_id, "Calendr", also=[LOG])


def test_without_also_nothing_changes(sheets: SheetsConnector) -> None:
    spreadsheet_id = sheets.create_spreadsheet("Book", [MAIN, LOG])
    assert sheets.read_tab(spreadsheet_id, MAIN).others == {}
