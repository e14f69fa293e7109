"""The list tab's freshness line: where it goes, what the planner sees, when it is written, what it says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.decode import tab_from_snapshot
from app.core.model import Column
from app.core.views.cells import GridCell, cell_data, grid_cell
from app.core.views.freshness import Freshness, due, freshness_cell
from app.core.views.list_line import (
    FRESHNESS_KEY,
    Top,
    below_top,
    blank_line,
    find_top,
    line_due,
    line_requests,
    shifted,
    stray_requests,
    without_strays,
)
from connectors.sheets.tab_snapshot import TabSnapshot

OWNED = (Column("Title", "name"), Column("Card ID", "id"))
NOW = datetime(2026, 12, 1, 9, 42, tzinfo=UTC)
EVERY = timedelta(minutes=15)
LINE = freshness_cell(Freshness("Social content calendar", "Europe/Paris", NOW, timedelta(minutes=5)), NOW)
HEADER = ["Title", "Card ID"]
DATA = [["Post A", "c1"], ["Post B", "c2"]]


def _snapshot(
    rows: list[list[str]], ours: int | None = None, frozen: int = 1, also: tuple[int, ...] = (), **more: Any
) -> TabSnapshot:
    cells = [[{"userEnteredValue": {"stringValue": text}} for text in row] for row in rows]
    metadata: list[list[dict[str, Any]]] = [[] for _ in rows]
    for row in ([] if ours is None else [ours]) + list(also):
        cells[row] = [cell_data(LINE)]
        metadata[row] = [{"metadataId": 7 + row, "metadataKey": FRESHNESS_KEY, "metadataValue": "line"}]
    return TabSnapshot(
        "s", 5, "Calendar", 100, 10, frozen, cells, [], row_metadata=metadata, **more
    )  # fmt: skip


def _written_rows(requests: list[dict[str, Any]]) -> list[int]:
    return [r["updateCells"]["start"]["rowIndex"] for r in requests if "updateCells" in r]


def test_an_empty_tab_gets_the_line_in_row_1_and_the_header_below_it_frozen_with_it() -> None:
    top = find_top(_snapshot([]), OWNED, on=True)
    assert (top.header, top.ours) == (0, None)
    assert line_due(top, NOW, EVERY, on=True)
    requests = line_requests(top, LINE)
    assert [next(iter(r)) for r in requests] == [
        "insertDimension", "createDeveloperMetadata", "updateCells", "updateSheetProperties",
    ]  # fmt: skip
    assert requests[0]["insertDimension"]["range"] == {
        "sheetId": 5, "dimension": "ROWS", "startIndex": 0, "endIndex": 1,
    }  # fmt: skip
    metadata = requests[1]["createDeveloperMetadata"]["developerMetadata"]
    assert metadata["metadataKey"] == FRESHNESS_KEY
    assert metadata["location"]["dimensionRange"]["startIndex"] == 0
    assert _written_rows(requests) == [0]
    assert requests[3]["updateSheetProperties"]["properties"]["gridProperties"] == {"frozenRowCount": 2}


def test_an_existing_tab_gets_a_new_row_never_its_header_written_over() -> None:
    snapshot = _snapshot([HEADER, *DATA])
    top = find_top(snapshot, OWNED, on=True)
    assert (top.header, top.ours) == (0, None)
    assert below_top(snapshot, top) is snapshot  # the planner sees the tab as before
    assert line_requests(top, LINE)[0]["insertDimension"]["range"]["startIndex"] == 0


def test_a_title_typed_above_the_header_stays_and_the_line_goes_between_them() -> None:
    snapshot = _snapshot([["Q2 content calendar"], HEADER, *DATA])
    top = find_top(snapshot, OWNED, on=True)
    assert (top.header, top.ours) == (1, None)
    requests = line_requests(top, LINE)
    assert requests[0]["insertDimension"]["range"]["startIndex"] == 1
    assert _written_rows(requests) == [1]  # row 0, the title, is never written
    assert requests[-1]["updateSheetProperties"]["properties"]["gridProperties"] == {"frozenRowCount": 3}
    below = tab_from_snapshot(below_top(snapshot, top))
    assert below.headers == ("Title", "Card ID") and len(below.rows) == 2


def test_our_line_is_known_by_its_metadata_and_is_no_title_and_no_data_row() -> None:
    snapshot = _snapshot([["Q2 content calendar"], ["line"], HEADER, *DATA], ours=1, frozen=3)
    top = find_top(snapshot, OWNED, on=True)
    assert (top.header, top.ours, top.line) == (2, 1, LINE)
    below = tab_from_snapshot(below_top(snapshot, top))
    assert below.headers == ("Title", "Card ID") and [row[1] for row in below.rows] == ["c1", "c2"]
    requests = line_requests(top, LINE)
    assert _written_rows(requests) == [1] and len(requests) == 1  # no new row, frozen rows as they are


def test_a_line_of_ours_below_the_header_is_a_stray_deleted_first_and_never_a_data_row() -> None:
    # Our line moved among the data rows (row 3), with no line above the header: a new one goes there.
    moved = _snapshot([HEADER, DATA[0], ["x"], ["line"], DATA[1]], also=(3,), frozen=0)
    top = find_top(moved, OWNED, on=True)
    assert (top.header, top.ours, top.strays) == (0, None, (3,))
    assert stray_requests(top) == [
        {"deleteDimension": {"range": {"sheetId": 5, "dimension": "ROWS", "startIndex": 3, "endIndex": 4}}}
    ]
    below = tab_from_snapshot(below_top(without_strays(moved, top), top))
    assert [row[0] for row in below.rows] == ["Post A", "x", "Post B"]
    assert line_due(top, NOW, EVERY, on=True) and line_due(top, NOW, EVERY, on=False)
    assert line_requests(top, LINE)[0]["insertDimension"]["range"]["startIndex"] == 0
    # A line above the header and a second one below: the upper one stays ours, the other goes.
    both = _snapshot([["Q2"], ["line"], HEADER, DATA[0], ["line"], DATA[1]], ours=1, also=(4,), frozen=3)
    top = find_top(both, OWNED, on=True)
    assert (top.header, top.ours, top.strays, top.frozen_rows) == (2, 1, (4,), 3)
    assert [r["updateCells"]["start"]["rowIndex"] for r in line_requests(top, LINE)] == [1]
    # A copy above the header too: the one nearest the header is the line; rows are counted after the
    # strays' deletion, which comes first in the batch.
    two = _snapshot([["line"], ["line"], HEADER, *DATA], ours=1, also=(0,), frozen=3)
    top = find_top(two, OWNED, on=True)
    assert (top.header, top.ours, top.strays, top.frozen_rows) == (1, 0, (0,), 2)
    assert tab_from_snapshot(below_top(without_strays(two, top), top)).headers == ("Title", "Card ID")


def test_text_like_ours_without_the_metadata_is_a_stakeholder_row() -> None:
    snapshot = _snapshot([[LINE.text], HEADER, *DATA])
    top = find_top(snapshot, OWNED, on=True)
    assert (top.header, top.ours) == (1, None)
    assert line_requests(top, LINE)[0]["insertDimension"]["range"]["startIndex"] == 1


def test_the_line_is_written_when_missing_or_old_and_refreshed_once_per_interval() -> None:
    top = find_top(_snapshot([["line"], HEADER, *DATA], ours=0, frozen=2), OWNED, on=True)
    assert not line_due(top, NOW + EVERY - timedelta(seconds=1), EVERY, on=True)
    assert line_due(top, NOW + EVERY, EVERY, on=True)
    written, writes = NOW, 0
    for minute in range(1, 61):
        now = NOW + timedelta(minutes=minute)
        current = Top(5, 1, 0, 2, freshness_cell(Freshness("B", "Europe/Paris", written, EVERY), written))
        if line_due(current, now, EVERY, on=True):
            written, writes = now, writes + 1
    assert writes == 4


def test_an_emptied_line_is_due_and_a_snapshot_of_the_tab_leaves_the_line_out() -> None:
    snapshot = _snapshot([["line"], HEADER, *DATA], ours=0, frozen=2)
    emptied = Top(5, 1, 0, 2, GridCell(note=LINE.note))  # its text cleared, its note still recent
    assert line_due(emptied, NOW + timedelta(minutes=1), EVERY, on=True)
    rows = blank_line(snapshot)
    assert rows[0] == [] and rows[1:] == snapshot.rows[1:]
    assert blank_line(_snapshot([HEADER, *DATA])) == _snapshot([HEADER, *DATA]).rows


def test_a_failing_line_says_since_when_in_the_line_row() -> None:
    top = find_top(_snapshot([["line"], HEADER, *DATA], ours=0, frozen=2), OWNED, on=True)
    failing = Freshness("", "Europe/Paris", NOW, EVERY, NOW + timedelta(minutes=3), "no board b1 (HTTP 404)")
    (request,) = line_requests(top, freshness_cell(failing, NOW + timedelta(minutes=5)))
    cell = grid_cell(request["updateCells"]["rows"][0]["values"][0])
    assert (
        cell.text
        == "⚠ Not synced since 10:45 (Europe/Paris): no board b1 (HTTP 404) · shows Trello as of 10:42"
    )
    assert request["updateCells"]["start"]["rowIndex"] == 0
    assert line_due(top, NOW + timedelta(minutes=1), EVERY, on=True) is False
    # A line that says "synced" is due at once when runs start failing (the views' rule).
    assert due(top.line, NOW + timedelta(minutes=1), EVERY, failure=True)


def test_off_the_header_is_row_1_as_before_and_our_line_is_removed() -> None:
    titled = _snapshot([["Q2 content calendar"], HEADER, *DATA])
    assert find_top(titled, OWNED, on=False).header == 0  # the planner refuses it, as without the line
    top = find_top(_snapshot([["line"], HEADER, *DATA], ours=0, frozen=2), OWNED, on=False)
    assert (top.header, top.ours) == (1, 0) and line_due(top, NOW, EVERY, on=False)
    assert line_requests(top, None) == [
        {"deleteDimension": {"range": {"sheetId": 5, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}}},
        {"updateSheetProperties": {
            "properties": {"sheetId": 5, "gridProperties": {"frozenRowCount": 1}},
            "fields": "gridProperties.frozenRowCount",
        }},
    ]  # fmt: skip
    assert line_requests(find_top(titled, OWNED, on=False), None) == []


def test_the_plans_rows_move_down_on_the_list_tab_only() -> None:
    requests = [
        {"updateCells": {"start": {"sheetId": 5, "rowIndex": 3, "columnIndex": 1}, "fields": "x"}},
        {"updateCells": {"start": {"sheetId": 5, "columnIndex": 0}, "fields": "x"}},  # row 0 left out
        {"updateCells": {"start": {"sheetId": 9, "rowIndex": 3, "columnIndex": 1}, "fields": "x"}},
        {"sortRange": {"range": {"sheetId": 5, "startRowIndex": 1, "endRowIndex": 14}}},
        {"deleteDimension": {"range": {"sheetId": 5, "dimension": "ROWS", "startIndex": 4, "endIndex": 6}}},
        {"updateDimensionProperties": {
            "range": {"sheetId": 5, "dimension": "COLUMNS", "startIndex": 4, "endIndex": 5},
            "properties": {"hiddenByUser": True}, "fields": "hiddenByUser",
        }},
        {"updateSheetProperties": {
            "properties": {"sheetId": 5, "gridProperties": {"frozenRowCount": 1}},
            "fields": "gridProperties.frozenRowCount",
        }},
        {"appendCells": {"sheetId": 5, "rows": [], "fields": "userEnteredValue"}},
    ]  # fmt: skip
    moved = shifted(requests, 5, 2)
    assert moved[0]["updateCells"]["start"]["rowIndex"] == 5
    assert moved[1]["updateCells"]["start"]["rowIndex"] == 2
    assert moved[2] == requests[2]  # another tab
    assert moved[3]["sortRange"]["range"] == {"sheetId": 5, "startRowIndex": 3, "endRowIndex": 16}
    assert moved[4]["deleteDimension"]["range"]["startIndex"] == 6
    assert moved[5] == requests[5]  # columns are not rows
    assert moved[6]["updateSheetProperties"]["properties"]["gridProperties"]["frozenRowCount"] == 3
    assert moved[7] == requests[7]
    assert requests[0]["updateCells"]["start"]["rowIndex"] == 3  # the input is left as it was


def test_ranges_read_without_a_sheet_id_move_up_for_the_planner() -> None:
    # Google leaves out a sheetId of 0, so the tab's own ranges are moved whatever they say.
    rule = {"ranges": [{"startRowIndex": 2, "startColumnIndex": 3, "endColumnIndex": 4}], "booleanRule": {}}
    snapshot = _snapshot([["line"], HEADER, *DATA], ours=0, frozen=2, conditional_formats=[rule])
    below = below_top(snapshot, find_top(snapshot, OWNED, on=True))
    assert below.conditional_formats[0]["ranges"][0]["startRowIndex"] == 1
    assert (below.frozen_rows, below.row_count) == (1, 99)
