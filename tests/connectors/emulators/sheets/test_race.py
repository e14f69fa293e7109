"""The race hook: a stakeholder's edit armed under /_emulator/race fires just before the next batchUpdate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.sheets_emulator import SheetsEmulator

pytestmark = pytest.mark.http  # the emulator over loopback


def _book(emulator: SheetsEmulator) -> str:
    spreadsheet_id = emulator.create("Race", tabs=["Calendar"])
    table = [["Title"], ["b"], ["c"], ["a"]]
    emulator.call(
        "PUT",
        f"/v4/spreadsheets/{spreadsheet_id}/values/Calendar!A1",
        {"values": table},
        valueInputOption="RAW",
    )
    return spreadsheet_id


def _column_a(emulator: SheetsEmulator, book: str) -> list[str]:
    got = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar!A:A").json()["values"]
    return [row[0] if row else "" for row in got]


SORT: dict[str, Any] = {
    "sortRange": {
        "range": {"sheetId": 0, "startRowIndex": 1},
        "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "ASCENDING"}],
    }
}


def _write_b2(text: str) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": text}}]}],
            "fields": "userEnteredValue",
        }
    }


def test_an_armed_sort_lands_between_the_read_and_the_write(emulator: SheetsEmulator) -> None:
    book = _book(emulator)
    armed = emulator.call("PUT", "/_emulator/race", {"spreadsheetId": book, "requests": [SORT]})
    assert armed.status_code == 200 and armed.json()["armed"][book] == 1
    assert _column_a(emulator, book) == ["Title", "b", "c", "a"]  # reads do not fire it
    # The client read row 2 as "b" and writes beside it: the sort came first, so the note lands by "a".
    assert emulator.batch(book, _write_b2("note for b")).status_code == 200
    got = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar!A2:B2").json()["values"]
    assert got == [["a", "note for b"]]
    shown = emulator.call("GET", "/_emulator/race").json()
    assert shown["armed"] == {} and shown["fired"] >= 1
    # It fired once: the next write meets the rows as they are.
    assert emulator.batch(book, _write_b2("again")).status_code == 200
    assert _column_a(emulator, book) == ["Title", "a", "b", "c"]


def test_edits_fire_one_per_write_in_order_and_only_on_their_spreadsheet(emulator: SheetsEmulator) -> None:
    book, other = _book(emulator), _book(emulator)
    rows = {"sheetId": 0, "dimension": "ROWS"}
    insert = {"insertDimension": {"range": {**rows, "startIndex": 1, "endIndex": 2}}}
    delete = {"deleteDimension": {"range": {**rows, "startIndex": 3, "endIndex": 4}}}
    emulator.call("PUT", "/_emulator/race", {"spreadsheetId": book, "requests": [insert]})
    emulator.call("PUT", "/_emulator/race", {"spreadsheetId": book, "requests": [delete]})
    assert emulator.batch(other, _write_b2("x")).status_code == 200
    assert _column_a(emulator, other) == ["Title", "b", "c", "a"]
    assert emulator.batch(book, _write_b2("x")).status_code == 200
    assert _column_a(emulator, book) == ["Title", "", "b", "c", "a"]  # the first edit: a blank row on top
    assert emulator.batch(book, _write_b2("y")).status_code == 200
    assert _column_a(emulator, book) == ["Title", "", "b", "a"]  # the second, before the next write


def test_a_refused_edit_is_counted_and_the_write_goes_on(emulator: SheetsEmulator) -> None:
    book = _book(emulator)
    beyond = {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 5000}}}
    emulator.call("PUT", "/_emulator/race", {"spreadsheetId": book, "requests": [beyond]})
    before = len(emulator.call("GET", "/_emulator/race").json()["refused"])
    assert emulator.batch(book, _write_b2("kept")).status_code == 200
    assert len(emulator.call("GET", "/_emulator/race").json()["refused"]) == before + 1
    got = emulator.call("GET", f"/v4/spreadsheets/{book}/values/Calendar!B2").json()["values"]
    assert got == [["kept"]]


def test_a_bad_arm_is_refused(emulator: SheetsEmulator) -> None:
    response = emulator.call("PUT", "/_emulator/race", {"spreadsheetId": "x", "requests": []})
    assert response.status_code == 400 and "requests" in response.json()["error"]
