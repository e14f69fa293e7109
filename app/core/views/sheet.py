"""A view tab as read, and the requests that make it show a grid: only what differs, in the run's batch.

The tab is fully owned: every cell, row height, column width and the frozen rows are the view's, so
anything else found there (a stakeholder's typing, an old grid's leftovers) is put back or cleared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.views.cells import CELL_MASK, EMPTY, GridCell, cell_data, grid_cell
from app.core.views.month import COLUMNS, Grid

Request = dict[str, Any]
DEFAULT_ROW_PIXELS = 21  # Sheets' default row height
SPARE_ROWS = 10  # a new tab's rows beyond the grid, so a longer month needs no resize
PROTECTION_DESCRIPTION = "boardsheet view: rendered from Trello, edits are overwritten"


@dataclass(frozen=True, slots=True)
class ViewTab:
    """A view tab as read: its grid properties, its cells as view cells, row heights, column widths."""

    sheet_id: int
    row_count: int
    column_count: int
    frozen_rows: int = 0
    cells: dict[tuple[int, int], GridCell] = field(default_factory=dict)
    heights: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()
    protected: bool = False  # a protected range of ours covers the tab


def view_tab(snapshot: Any) -> ViewTab:
    """A ViewTab from the Sheets connector's TabSnapshot read whole (duck-typed: no connector here)."""
    cells = {
        (r, c): cell
        for r, row in enumerate(snapshot.rows)
        for c, raw in enumerate(row)
        if not (cell := grid_cell(raw)).empty
    }
    heights = tuple(int(p.get("pixelSize", DEFAULT_ROW_PIXELS)) for p in snapshot.row_properties)
    widths = tuple(int(p.get("pixelSize", 0)) for p in snapshot.column_properties)
    protected = any(item.get("description") == PROTECTION_DESCRIPTION for item in snapshot.protected_ranges)
    return ViewTab(
        snapshot.sheet_id,
        snapshot.row_count,
        snapshot.column_count,
        snapshot.frozen_rows,
        cells,
        heights,
        widths,
        protected,
    )


def _add_sheet(title: str, sheet_id: int, rows: int, frozen: int) -> Request:
    """addSheet for a missing view tab, sized for the grid, with our id."""
    grid = {"rowCount": rows + SPARE_ROWS, "columnCount": COLUMNS, "frozenRowCount": frozen}
    return {"addSheet": {"properties": {"sheetId": sheet_id, "title": title, "gridProperties": grid}}}


def _spans(indexes: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive indexes as (start, end) half-open spans."""
    start = previous = None
    for index in indexes:
        if start is None or previous is None or index != previous + 1:
            if start is not None and previous is not None:
                yield start, previous + 1
            start = index
        previous = index
    if start is not None and previous is not None:
        yield start, previous + 1


def _cell_requests(sheet_id: int, grid: Grid, current: dict[tuple[int, int], GridCell]) -> list[Request]:
    """updateCells for every run of adjacent changed cells in a row (cleared cells included)."""
    wanted = {
        (r, c): grid_cell(cell_data(cell))  # normalised the way a read would see it
        for r, row in enumerate(grid.rows)
        for c, cell in enumerate(row)
        if not cell.empty
    }
    changed: dict[int, list[int]] = {}
    for r, c in sorted((set(wanted) | set(current)) - set(grid.skip)):
        if wanted.get((r, c), EMPTY) != current.get((r, c), EMPTY):
            changed.setdefault(r, []).append(c)
    requests = []
    for r, columns in changed.items():
        for start, end in _spans(columns):
            values = [cell_data(wanted.get((r, c), EMPTY)) for c in range(start, end)]
            requests.append(
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": r, "columnIndex": start},
                        "rows": [{"values": values}],
                        "fields": CELL_MASK,
                    }
                }
            )
    return requests


def _dimension(sheet_id: int, dimension: str, start: int, end: int, pixels: int) -> Request:
    span = {"sheetId": sheet_id, "dimension": dimension, "startIndex": start, "endIndex": end}
    return {
        "updateDimensionProperties": {
            "range": span,
            "properties": {"pixelSize": pixels},
            "fields": "pixelSize",
        }
    }


def _size_requests(sheet_id: int, grid: Grid, tab: ViewTab) -> list[Request]:
    """Row heights and column widths that differ from the grid's."""
    requests: list[Request] = []
    wanted = [h or DEFAULT_ROW_PIXELS for h in grid.heights]
    differing = [r for r, h in enumerate(wanted) if (tab.heights[r] if r < len(tab.heights) else None) != h]
    # One request per run of adjacent rows wanting the same height.
    for height in sorted({wanted[r] for r in differing}):
        rows = [r for r in differing if wanted[r] == height]
        requests += [_dimension(sheet_id, "ROWS", s, e, height) for s, e in _spans(rows)]
    narrow = [
        c for c in range(COLUMNS) if (tab.widths[c] if c < len(tab.widths) else None) != grid.column_width
    ]
    requests += [_dimension(sheet_id, "COLUMNS", s, e, grid.column_width) for s, e in _spans(narrow)]
    return requests


def protect_tab(sheet_id: int, editors: Sequence[str]) -> Request:
    """addProtectedRange over the whole tab, editable only by `editors` (the service account)."""
    protected = {
        "range": {"sheetId": sheet_id},
        "description": PROTECTION_DESCRIPTION,
        "warningOnly": False,
        "editors": {"users": list(editors)},
    }
    return {"addProtectedRange": {"protectedRange": protected}}


def grid_requests(
    grid: Grid,
    tab: ViewTab | None,
    *,
    title: str,
    new_id: int,
    protect_for: Sequence[str] | None = None,
) -> list[Request]:
    """Requests making the tab show `grid` (adding the tab when `tab` is None); none when it already does.

    `protect_for` adds a whole-tab protection when none of ours is there; runs pass None, since the
    view tabs' protections are planned with the pair's others (app/core/protections.py, `sheet.protect`).
    """
    requests: list[Request] = []
    if tab is None:
        requests.append(_add_sheet(title, new_id, len(grid.rows), grid.frozen_rows))
        tab = ViewTab(new_id, len(grid.rows) + SPARE_ROWS, COLUMNS, grid.frozen_rows)
    sheet_id = tab.sheet_id
    if tab.row_count < len(grid.rows) or tab.column_count < COLUMNS:
        for dimension, have, need in (
            ("ROWS", tab.row_count, len(grid.rows)),
            ("COLUMNS", tab.column_count, COLUMNS),
        ):
            if have < need:
                requests.append(
                    {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": need - have}}
                )
    if tab.frozen_rows != grid.frozen_rows:
        properties = {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": grid.frozen_rows}}
        requests.append(
            {"updateSheetProperties": {"properties": properties, "fields": "gridProperties.frozenRowCount"}}
        )
    requests += _cell_requests(sheet_id, grid, tab.cells)
    requests += _size_requests(sheet_id, grid, tab)
    if protect_for is not None and not tab.protected:
        requests.append(protect_tab(sheet_id, protect_for))
    return requests
