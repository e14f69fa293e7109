"""The list tab's freshness line (pure): a row of boardsheet's own above the header, known by its metadata.

With `sheet.freshness` the list tab shows the views' line (app/core/views/freshness.py: the same text, the
same throttle, the same "not synced since" wording) in cell A of a row carrying developer metadata
`boardsheet.freshness`, so it is never taken for a stakeholder's title row nor for a data row. The
planner never sees it: the shell gives it the tab from the header row down (`below_top`) and moves the
rows of its requests back down (`shifted`). The line's own requests go last in the batch, so every
request before them addresses the rows where they were read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.core.decode import tab_from_snapshot
from app.core.layout_guards import header_row
from app.core.model import Column
from app.core.views.cells import CELL_MASK, EMPTY, GridCell, cell_data, grid_cell
from app.core.views.freshness import due

Request = dict[str, Any]
FRESHNESS_KEY = "boardsheet.freshness"
ROW_KEYS = ("rowIndex", "startRowIndex", "endRowIndex")


@dataclass(frozen=True, slots=True)
class Top:
    """The list tab above its data as read: the header's grid row and, when there, boardsheet's line."""

    sheet_id: int
    header: int = 0  # grid row of the header: the planner's row i is grid row i + header
    ours: int | None = None  # grid row of the freshness line (always above the header)
    frozen_rows: int = 0
    line: GridCell = EMPTY  # the line's cell (column A) as read
    # Rows of ours found elsewhere (below the header, or a second one), as read: the batch deletes them
    # first, and `header`, `ours` and `frozen_rows` above are where things stand once they are gone.
    strays: tuple[int, ...] = ()


def our_rows(row_metadata: Sequence[Sequence[Mapping[str, Any]]]) -> list[int]:
    """Every grid row carrying `boardsheet.freshness` metadata, top down."""
    return [
        row
        for row, items in enumerate(row_metadata)
        if any(item.get("metadataKey") == FRESHNESS_KEY for item in items)
    ]


def our_row(row_metadata: Sequence[Sequence[Mapping[str, Any]]]) -> int | None:
    """The first grid row carrying `boardsheet.freshness` metadata, or None."""
    rows = our_rows(row_metadata)
    return rows[0] if rows else None


def blank_line(snapshot: Any) -> list[Any]:
    """The snapshot's rows with our lines' rows left empty (in place): a tab snapshot's digest must not
    change each time only the line is refreshed."""
    rows = list(snapshot.rows)
    for ours in our_rows(getattr(snapshot, "row_metadata", None) or []):
        if ours < len(rows):
            rows[ours] = []
    return rows


def find_top(snapshot: Any, owned: Sequence[Column], on: bool) -> Top:
    """Where the header and our line are in a TabSnapshot (duck-typed).

    With the line off and none of ours in the tab the header is row 1, as before: a title typed above it
    is then refused by the planner (check_header_row). Otherwise the header is found by its column tags
    or texts below any title rows; our line is the row of ours nearest above the header. Any other row of
    ours (one moved below the header with the rows around it, a second copy) is a stray the run deletes.
    """
    mine = our_rows(snapshot.row_metadata)
    if not on and not mine:
        return Top(snapshot.sheet_id, frozen_rows=snapshot.frozen_rows)
    header = header_row(tab_from_snapshot(_without(snapshot, mine)), owned)
    for row in mine:  # the header's row among the others -> its grid row as read
        if row <= header:
            header += 1
    above = [row for row in mine if row < header]
    ours = above[-1] if above else None
    strays = tuple(row for row in mine if row != ours)

    def after(row: int) -> int:  # a grid row as read -> where it is once the strays are deleted
        return row - sum(1 for stray in strays if stray < row)

    frozen = after(snapshot.frozen_rows)
    if ours is None:
        return Top(snapshot.sheet_id, after(header), None, frozen, strays=strays)
    cells = snapshot.rows[ours] if ours < len(snapshot.rows) else []
    line = grid_cell(cells[0]) if cells else EMPTY
    return Top(snapshot.sheet_id, after(header), after(ours), frozen, line, strays)


def _without(snapshot: Any, rows: Sequence[int]) -> Any:
    """The snapshot without some grid rows (their cells, metadata and sizes)."""
    if not rows:
        return snapshot
    gone = set(rows)

    def kept(items: Sequence[Any]) -> list[Any]:
        return [item for index, item in enumerate(items) if index not in gone]

    return replace(
        snapshot,
        rows=kept(snapshot.rows),
        row_metadata=kept(snapshot.row_metadata),
        row_properties=kept(getattr(snapshot, "row_properties", None) or []),
    )


def without_strays(snapshot: Any, top: Top) -> Any:
    """The snapshot as it is once the batch's first requests deleted the strays."""
    return replace(_without(snapshot, top.strays), frozen_rows=top.frozen_rows) if top.strays else snapshot


def stray_requests(top: Top) -> list[Request]:
    """Delete the strays, bottom up so each index is still the one read; they go first in the batch."""
    return [
        {"deleteDimension": {"range": _rows(top.sheet_id, row)}} for row in sorted(top.strays, reverse=True)
    ]


def below_top(snapshot: Any, top: Top) -> Any:
    """The snapshot as the planner must see it: the header as row 1, ranges moved up alike."""
    skip = top.header
    if skip == 0:
        return snapshot
    return replace(
        snapshot,
        rows=snapshot.rows[skip:],
        row_metadata=snapshot.row_metadata[skip:],
        row_properties=snapshot.row_properties[skip:],
        row_count=max(snapshot.row_count - skip, 0),
        frozen_rows=max(snapshot.frozen_rows - skip, 0),
        # The tab's own ranges as read: Google leaves out a sheetId of 0, so every range moves.
        conditional_formats=shifted(snapshot.conditional_formats, None, -skip),
        protected_ranges=shifted(snapshot.protected_ranges, None, -skip),
    )


def shifted(requests: Sequence[Mapping[str, Any]], sheet_id: int | None, offset: int) -> list[Any]:
    """Requests (or ranges) with every row index on tab `sheet_id` (None: any) moved by `offset`, not
    below 0.

    Row positions in the Sheets API are GridCoordinate.rowIndex, GridRange.start/endRowIndex and
    DimensionRange.start/endIndex with dimension ROWS, and the frozen row count
    (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#GridRange).
    """
    return [_moved(request, sheet_id, offset) for request in requests] if offset else list(requests)


def _moved(node: Any, sheet_id: int | None, offset: int) -> Any:
    """A copy of one JSON node with its row indexes on the tab moved."""
    if isinstance(node, list):
        return [_moved(item, sheet_id, offset) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _moved(value, sheet_id, offset) for key, value in node.items()}
    if sheet_id is not None and out.get("sheetId") != sheet_id:
        return out
    if sheet_id is None and not {"sheetId", *ROW_KEYS, "dimension"} & out.keys():
        return out
    keys = [key for key in ROW_KEYS if key in out]
    if out.get("dimension") == "ROWS":
        keys += [key for key in ("startIndex", "endIndex") if key in out]
    if "columnIndex" in out and "rowIndex" not in out:  # a GridCoordinate's omitted row is row 0
        out["rowIndex"] = 0
        keys.append("rowIndex")
    for key in keys:
        out[key] = max(int(out[key]) + offset, 0)
    grid = out.get("gridProperties")
    if isinstance(grid, dict) and "frozenRowCount" in grid:
        grid["frozenRowCount"] = max(int(grid["frozenRowCount"]) + offset, 0)
    return out


def line_due(top: Top, now: datetime, every: timedelta, on: bool) -> bool:
    """Whether the line must be written though nothing else is: missing or emptied (a restore clears
    it), `every` old, or to be removed."""
    if top.strays:
        return True
    if not on:
        return top.ours is not None
    return top.ours is None or not top.line.text or due(top.line, now, every)


def _rows(sheet_id: int, row: int) -> dict[str, Any]:
    return {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}


def _frozen(sheet_id: int, count: int) -> Request:
    properties = {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": count}}
    return {"updateSheetProperties": {"properties": properties, "fields": "gridProperties.frozenRowCount"}}


def _write(sheet_id: int, row: int, cell: GridCell) -> Request:
    start = {"sheetId": sheet_id, "rowIndex": row, "columnIndex": 0}
    return {"updateCells": {"start": start, "rows": [{"values": [cell_data(cell)]}], "fields": CELL_MASK}}


def line_requests(top: Top, cell: GridCell | None) -> list[Request]:
    """The line's requests, last in the batch: write it (inserting its row above the header when missing,
    never over a title someone typed), or, `cell` None (the line is off), remove our row.

    The rows down to the header stay frozen, so sorting the sheet never moves the line.
    """
    if cell is None:
        if top.ours is None:
            return []
        return [
            {"deleteDimension": {"range": _rows(top.sheet_id, top.ours)}},
            _frozen(top.sheet_id, top.header),
        ]
    if top.ours is not None:
        frozen = [] if top.frozen_rows >= top.header + 1 else [_frozen(top.sheet_id, top.header + 1)]
        return [_write(top.sheet_id, top.ours, cell), *frozen]
    at = top.header
    metadata = {
        "metadataKey": FRESHNESS_KEY,
        "metadataValue": "line",
        "location": {"dimensionRange": _rows(top.sheet_id, at)},
        "visibility": "DOCUMENT",
    }
    return [
        # Formats come from the header below (inheritFromBefore false), then the cell's own replace them.
        {"insertDimension": {"range": _rows(top.sheet_id, at), "inheritFromBefore": False}},
        {"createDeveloperMetadata": {"developerMetadata": metadata}},
        _write(top.sheet_id, at, cell),
        _frozen(top.sheet_id, at + 2),
    ]
