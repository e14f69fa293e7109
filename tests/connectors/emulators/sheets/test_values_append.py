"""values.append past the grid's edges: a search range wider than the grid, rows wider than it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


@pytest.fixture
def book(emulator: SheetsEmulator) -> str:
    return emulator.create("Values", tabs=["Plan"])


def put(emulator: SheetsEmulator, book: str, rng: str, values: list[list[Any]]) -> Any:
    path = f"/v4/spreadsheets/{book}/values/{quote(rng)}"
    return emulator.call("PUT", path, {"values": values}, valueInputOption="RAW")


def get(emulator: SheetsEmulator, book: str, rng: str) -> dict[str, Any]:
    response = emulator.call("GET", f"/v4/spreadsheets/{book}/values/{quote(rng)}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_append_widens_the_grid_for_wide_rows(emulator: SheetsEmulator, book: str) -> None:
    # gspread documents its append_rows (a plain values.append) as "Widens the worksheet if there are
    # more values than columns"; appendCells does not (test_batch_cells).
    emulator.batch(
        book,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 5, "columnCount": 3}},
                "fields": "gridProperties(rowCount,columnCount)",
            }
        },
    )
    wide = emulator.call(
        "POST",
        f"/v4/spreadsheets/{book}/values/Plan:append",
        {"values": [["a", "b", "c", "d", "e"]]},
        valueInputOption="RAW",
    )
    assert wide.status_code == 200, wide.text
    assert wide.json()["updates"]["updatedRange"] == "Plan!A1:E1"
    assert emulator.state.get(book).sheets[0].col_count == 5
    assert get(emulator, book, "Plan")["values"] == [["a", "b", "c", "d", "e"]]


def test_append_searches_a_range_wider_than_the_grid(emulator: SheetsEmulator, book: str) -> None:
    # Public clients append to `Tab!A:ZZ` on 26-column tabs (GitHub code search: "!A:ZZ:append").
    put(emulator, book, "Plan!A1", [["h1", "h2"], ["a", "b"]])
    answer = emulator.call(
        "POST",
        f"/v4/spreadsheets/{book}/values/Plan!A:ZZ:append",
        {"values": [["c", "d"]]},
        valueInputOption="RAW",
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["tableRange"] == "Plan!A1:B2"
    assert answer.json()["updates"]["updatedRange"] == "Plan!A3:B3"
    assert emulator.state.get(book).sheets[0].col_count == 26
    beyond = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Plan!A:ZZ")
    assert "exceeds grid limits" in beyond.json()["error"]["message"]  # reads still refuse it
