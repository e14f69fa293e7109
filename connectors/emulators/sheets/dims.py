"""Row and column surgery on a Sheet: insert, delete, move and sort, carrying metadata and ranges along."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.cow import clone, reorder
from connectors.emulators.sheets.state import Json, Sheet, peek

_RANGE_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}


def _grid_ranges(sheet: Sheet) -> list[Json]:
    """Every GridRange the sheet holds that must follow its rows and columns."""
    found = list(sheet.merges)
    found += [p["range"] for p in sheet.protected_ranges if "range" in p]
    for rule in sheet.conditional_formats:
        found += rule.get("ranges", [])
    if sheet.basic_filter and "range" in sheet.basic_filter:
        found.append(sheet.basic_filter["range"])
    return found


def _shift(sheet: Sheet, dimension: str, remap: Callable[[int], int]) -> None:
    """Remap the bounds of every held range through an index mapping."""
    start_key, end_key = _RANGE_KEYS[dimension]
    for rng in _grid_ranges(sheet):
        if start_key in rng:
            rng[start_key] = remap(rng[start_key])
        if end_key in rng:
            rng[end_key] = max(remap(rng[end_key] - 1) + 1, rng.get(start_key, 0))


def insert(sheet: Sheet, dimension: str, start: int, count: int) -> None:
    """Insert empty rows or columns before `start`."""
    if dimension == "ROWS":
        sheet.rows[start:start] = [[] for _ in range(count)]
        sheet.row_meta[start:start] = [{} for _ in range(count)]
        sheet.properties["gridProperties"]["rowCount"] += count
    else:
        for row in sheet.rows:
            if len(row) > start:
                row[start:start] = [{} for _ in range(count)]
        sheet.col_meta[start:start] = [{} for _ in range(count)]
        sheet.properties["gridProperties"]["columnCount"] += count
    _shift(sheet, dimension, lambda i: i + count if i >= start else i)


def delete(sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Delete rows or columns [start, end)."""
    count = end - start
    if dimension == "ROWS":
        del sheet.rows[start:end], sheet.row_meta[start:end]
        sheet.properties["gridProperties"]["rowCount"] -= count
    else:
        for row in sheet.rows:
            del row[start:end]
        del sheet.col_meta[start:end]
        sheet.properties["gridProperties"]["columnCount"] -= count
    _drop_collapsed(sheet, dimension, start, end)
    _shift(sheet, dimension, lambda i: i - count if i >= end else min(i, start))


def _drop_collapsed(sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Merges entirely inside deleted rows/columns vanish with them."""
    start_key, end_key = _RANGE_KEYS[dimension]
    sheet.merges[:] = [
        m for m in sheet.merges if not (m.get(start_key, 0) >= start and m.get(end_key, 0) <= end)
    ]


def move(sheet: Sheet, dimension: str, start: int, end: int, destination: int) -> None:
    """Move rows or columns [start, end) so they land before `destination` (pre-move index)."""
    order = list(range(sheet.row_count if dimension == "ROWS" else sheet.col_count))
    block = order[start:end]
    rest = order[:start] + order[end:]
    at = destination if destination <= start else destination - (end - start)
    rest[at:at] = block
    permute(sheet, dimension, rest)


def permute(sheet: Sheet, dimension: str, order: list[int]) -> None:
    """Reorder rows or columns: position i receives what was at order[i]."""
    if dimension == "ROWS":
        reorder(sheet.rows, 0, order)  # whole rows move, none copied (cow.py)
        reorder(sheet.row_meta, 0, order)
    else:
        width = len(order)
        for index, row in enumerate(sheet.rows):
            padded = row + [{} for _ in range(width - len(row))]
            new_row = [padded[i] for i in order]
            while new_row and not new_row[-1]:
                new_row.pop()
            sheet.rows[index] = new_row
        sheet.col_meta[:] = [sheet.col_meta[i] for i in order]
    where = {old: new for new, old in enumerate(order)}
    _shift(sheet, dimension, lambda i: where.get(i, i))


def _sort_key(cell: Json) -> tuple[int, int, Any]:
    """Empty cells sort last; then numbers, text (case-insensitive), booleans, as Sheets orders them."""
    value = cell.get("effectiveValue") or {}
    if "numberValue" in value:
        return (0, 0, float(value["numberValue"]))
    if "stringValue" in value:
        return (0, 1, str(value["stringValue"]).lower())
    if "boolValue" in value:
        return (0, 2, bool(value["boolValue"]))
    return (1, 0, 0)


def _seen(sheet: Sheet, row: int, col: int) -> Json:
    """A cell read without copying its row (a write's working copy copies rows it reaches: cow.py)."""
    cells = peek(sheet.rows, row)
    return cells[col] if col < len(cells) else {}


def sort(sheet: Sheet, bounds: a1.Bounds, specs: list[Json]) -> None:
    """Stable sort of the rows in bounds by several sort specs; rows keep their metadata.

    Only rows that change place are written: a sort of rows already in order changes nothing, and one over
    whole rows (the grid's every column) moves them without copying a cell, so its cost is the change.
    """
    indices = list(range(bounds.start_row, bounds.end_row))
    for spec in reversed(specs or [{"dimensionIndex": bounds.start_col}]):
        column = int(spec.get("dimensionIndex", 0))
        descending = spec.get("sortOrder") == "DESCENDING"
        keys = {i: _sort_key(_seen(sheet, i, column)) for i in indices}
        filled = [i for i in indices if keys[i][0] == 0]
        empty = [i for i in indices if keys[i][0] != 0]
        # reverse=True keeps Python's sort stable: equal keys stay in input order.
        filled.sort(key=lambda i: keys[i][1:], reverse=descending)
        indices = filled + empty
    if indices == list(range(bounds.start_row, bounds.end_row)):
        return
    reorder(sheet.row_meta, bounds.start_row, indices)
    if bounds.start_col == 0 and bounds.end_col >= sheet.col_count:
        reorder(sheet.rows, bounds.start_row, indices)
        return
    blocks = {
        i: [clone(_seen(sheet, i, c)) for c in range(bounds.start_col, bounds.end_col)]
        for offset, i in enumerate(indices)
        if i != bounds.start_row + offset
    }
    for offset, i in enumerate(indices):
        for c, cell in enumerate(blocks.get(i, ())):
            sheet.set_cell(bounds.start_row + offset, bounds.start_col + c, cell)
