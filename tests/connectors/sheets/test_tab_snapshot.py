"""From a spreadsheets.get answer to a TabSnapshot: answer shapes the emulator tests may not produce."""

from __future__ import annotations

from typing import Any

from connectors.sheets.tab_snapshot import quote_tab, snapshot_of

TEXT = {
    "userEnteredValue": {"stringValue": "x"},
    "effectiveValue": {"stringValue": "x"},
    "formattedValue": "x",
}


def sheet(data: list[dict[str, Any]] | None, grid: dict[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"sheetId": 42, "title": "Calendar"}
    if grid is not None:
        properties["gridProperties"] = grid
    answer: dict[str, Any] = {"properties": properties}
    if data is not None:
        answer["data"] = data
    return answer


def test_empty_rows_inside_stay_as_empty_lists_and_trailing_empties_go() -> None:
    block = {
        "rowData": [
            {"values": [TEXT, {}, TEXT]},
            {},
            {"values": [{}, TEXT, {"userEnteredFormat": {"textFormat": {"bold": True}}}]},
            {"values": [{}, {}]},
            {},
        ],
        "columnMetadata": [{"pixelSize": 100}, {"developerMetadata": [{"metadataKey": "k"}]}],
    }

    tab = snapshot_of("book", sheet([block], {"rowCount": 1000, "columnCount": 26, "frozenRowCount": 1}))

    assert tab.rows == [[TEXT, {}, TEXT], [], [{}, TEXT]]
    assert tab.column_metadata == [[], [{"metadataKey": "k"}]]
    assert (tab.sheet_id, tab.title, tab.frozen_rows) == (42, "Calendar", 1)
    assert (tab.row_count, tab.column_count) == (1000, 26)


def test_a_tab_without_grid_data_or_frozen_rows_reads_as_empty() -> None:
    tab = snapshot_of("book", sheet(None, {"rowCount": 5, "columnCount": 2}))

    assert tab.rows == []
    assert tab.column_metadata == []
    assert tab.frozen_rows == 0


def test_tab_titles_are_quoted_for_a1_with_inner_quotes_doubled() -> None:
    assert quote_tab("Calendar") == "'Calendar'"
    assert quote_tab("Bob's 2025!A1") == "'Bob''s 2025!A1'"
