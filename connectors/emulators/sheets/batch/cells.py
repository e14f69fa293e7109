"""batchUpdate handlers that write cells: updateCells, appendCells, repeatCell, merges, borders, rules."""

from __future__ import annotations

import copy

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.batch.base import (
    Context,
    Handler,
    RequestError,
    clean,
    grid_range,
    merge_masked,
    output_range,
    required_fields,
    sheet_of,
)
from connectors.emulators.sheets.cells import compute
from connectors.emulators.sheets.cow import clone
from connectors.emulators.sheets.get import FieldTree
from connectors.emulators.sheets.state import Json, Sheet, has_value, peek

_COMPUTED = ("effectiveValue", "formattedValue", "effectiveFormat")


def _write(sheet: Sheet, row: int, col: int, given: Json, tree: FieldTree) -> None:
    """Apply a CellData under a fields mask, then recompute effective and formatted values."""
    source = {k: v for k, v in given.items() if k not in _COMPUTED}
    cell = clean(merge_masked(clone(sheet.cell(row, col)), source, tree))
    if cell.get("note") == "":
        del cell["note"]  # an empty note is no note
    sheet.set_cell(row, col, compute(cell) if cell else {})


def _write_rows(sheet: Sheet, corner: a1.Bounds, rows: list[Json], tree: FieldTree, fill: bool) -> None:
    """Write RowData from corner's top-left; with `fill`, cells of corner not given are cleared per mask."""
    top, left = corner.start_row, corner.start_col
    height = corner.rows if fill else len(rows)
    for r in range(height):
        values = (rows[r].get("values") or []) if r < len(rows) else []
        width = corner.cols if fill else len(values)
        if top + r >= sheet.row_count:
            raise RequestError(
                f"Attempting to write row: {top + r}, beyond the last requested row of: {sheet.row_count - 1}"
            )
        if left + width > sheet.col_count:
            raise RequestError(
                f"Attempting to write column: {left + width - 1}, beyond the last requested column "
                f"of: {sheet.col_count - 1}"
            )
        for c in range(width):
            _write(sheet, top + r, left + c, values[c] if c < len(values) else {}, tree)


def update_cells(ctx: Context, request: Json) -> Json:
    """Write rows of CellData at `start` or over `range`, under a fields mask."""
    tree = required_fields(request)
    rows = request.get("rows") or []
    if "range" in request and request["range"] is not None:
        sheet, bounds = grid_range(ctx, request["range"])
        _write_rows(sheet, bounds, rows, tree, fill=True)
    elif "start" in request and request["start"] is not None:
        start = request["start"]
        sheet = sheet_of(ctx, start.get("sheetId"))
        top, left = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        _write_rows(sheet, a1.Bounds(top, left, top, left), rows, tree, fill=False)
    else:
        raise RequestError("Either 'start' or 'range' must be set.")
    return {}


def _has_values(cells: list[Json]) -> bool:
    return any(has_value(cell) for cell in cells)


def append_cells(ctx: Context, request: Json) -> Json:
    """Append rows after the last row with values, adding grid rows (not columns) when needed."""
    sheet = sheet_of(ctx, request.get("sheetId"))
    tree = required_fields(request)
    rows = request.get("rows") or []
    # From the bottom up, and peeked (a read: rows are not copied, cow.py): the scan stops at the last row
    # with a value, so appending to a long table costs the rows appended, not the rows it holds.
    filled = (r + 1 for r in reversed(range(sheet.row_count)) if _has_values(peek(sheet.rows, r)))
    last = next(filled, 0)
    # Google adds the rows appendCells needs, but not columns (recorded: "Attempting to write column").
    sheet.resize(max(sheet.row_count, last + len(rows)), sheet.col_count)
    _write_rows(sheet, a1.Bounds(last, 0, last, 0), rows, tree, fill=False)
    return {}


def repeat_cell(ctx: Context, request: Json) -> Json:
    """Apply one CellData to every cell of a range."""
    sheet, bounds = grid_range(ctx, request.get("range") or {})
    tree = required_fields(request)
    cell = request.get("cell") or {}
    for r in range(bounds.start_row, bounds.end_row):
        for c in range(bounds.start_col, bounds.end_col):
            _write(sheet, r, c, cell, tree)
    return {}


def _overlaps(one: a1.Bounds, other: a1.Bounds) -> bool:
    return (
        one.start_row < other.end_row
        and other.start_row < one.end_row
        and one.start_col < other.end_col
        and other.start_col < one.end_col
    )


def _bounds(rng: Json) -> a1.Bounds:
    return a1.Bounds(rng["startRowIndex"], rng["startColumnIndex"], rng["endRowIndex"], rng["endColumnIndex"])


def merge_cells(ctx: Context, request: Json) -> Json:
    """Merge a range (all, by rows or by columns); values of covered cells but the first are dropped."""
    sheet, bounds = grid_range(ctx, request.get("range") or {})
    kind = request.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ROWS":
        parts = [
            a1.Bounds(r, bounds.start_col, r + 1, bounds.end_col)
            for r in range(bounds.start_row, bounds.end_row)
        ]
    elif kind == "MERGE_COLUMNS":
        parts = [
            a1.Bounds(bounds.start_row, c, bounds.end_row, c + 1)
            for c in range(bounds.start_col, bounds.end_col)
        ]
    else:
        parts = [bounds]
    for part in parts:
        # Google replaces the merges a new merge overlaps (as the recorded traffic shows).
        sheet.merges[:] = [m for m in sheet.merges if not _overlaps(part, _bounds(m))]
        for r in range(part.start_row, part.end_row):
            for c in range(part.start_col, part.end_col):
                if (r, c) != (part.start_row, part.start_col):
                    sheet.set_cell(
                        r, c, {k: v for k, v in sheet.cell(r, c).items() if k == "userEnteredFormat"}
                    )
        merge = {
            "startRowIndex": part.start_row,
            "endRowIndex": part.end_row,
            "startColumnIndex": part.start_col,
            "endColumnIndex": part.end_col,
        }
        sheet.merges.append(output_range({"sheetId": sheet.sheet_id, **merge}))
    return {}


def unmerge_cells(ctx: Context, request: Json) -> Json:
    """Remove every merge that overlaps the range."""
    sheet, bounds = grid_range(ctx, request.get("range") or {})
    sheet.merges[:] = [m for m in sheet.merges if not _overlaps(bounds, _bounds(m))]
    return {}


def update_borders(ctx: Context, request: Json) -> Json:
    """Set borders on the edges (and inner lines) of a range."""
    sheet, b = grid_range(ctx, request.get("range") or {})
    for r in range(b.start_row, b.end_row):
        for c in range(b.start_col, b.end_col):
            sides = {
                "top": request.get("top") if r == b.start_row else request.get("innerHorizontal"),
                "bottom": request.get("bottom") if r == b.end_row - 1 else request.get("innerHorizontal"),
                "left": request.get("left") if c == b.start_col else request.get("innerVertical"),
                "right": request.get("right") if c == b.end_col - 1 else request.get("innerVertical"),
            }
            chosen = {side: border for side, border in sides.items() if border is not None}
            if chosen:
                cell = copy.deepcopy(sheet.cell(r, c))
                fmt = cell.setdefault("userEnteredFormat", {})
                fmt["borders"] = {**fmt.get("borders", {}), **chosen}
                sheet.set_cell(r, c, cell)
    return {}


def set_data_validation(ctx: Context, request: Json) -> Json:
    """Set (or with no rule, clear) the data validation rule of every cell in a range."""
    sheet, bounds = grid_range(ctx, request.get("range") or {})
    rule = request.get("rule")
    for r in range(bounds.start_row, bounds.end_row):
        for c in range(bounds.start_col, bounds.end_col):
            cell = copy.deepcopy(sheet.cell(r, c))
            if rule:
                cell["dataValidation"] = copy.deepcopy(rule)
            else:
                cell.pop("dataValidation", None)
            sheet.set_cell(r, c, cell)
    return {}


def add_conditional_format_rule(ctx: Context, request: Json) -> Json:
    """Insert a conditional format rule on the sheet of its first range."""
    rule = copy.deepcopy(request.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise RequestError("At least one range must be specified.")
    sheet, _ = grid_range(ctx, ranges[0])
    rule["ranges"] = [output_range(r) for r in ranges]
    index = int(request.get("index", len(sheet.conditional_formats)))
    sheet.conditional_formats.insert(index, rule)
    return {}


def delete_conditional_format_rule(ctx: Context, request: Json) -> Json:
    """Remove the rule at `index` of a sheet; the reply carries the deleted rule."""
    sheet = sheet_of(ctx, request.get("sheetId"))
    index = int(request.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise RequestError(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


def set_basic_filter(ctx: Context, request: Json) -> Json:
    """Set the sheet's basic filter."""
    flt = copy.deepcopy(request.get("filter") or {})
    sheet, b = grid_range(ctx, flt.get("range") or {})
    explicit = {"startRowIndex": b.start_row, "endRowIndex": b.end_row}
    explicit.update({"startColumnIndex": b.start_col, "endColumnIndex": b.end_col})
    flt["range"] = output_range({"sheetId": sheet.sheet_id, **explicit})
    sheet.basic_filter = flt
    return {}


def clear_basic_filter(ctx: Context, request: Json) -> Json:
    """Remove the sheet's basic filter."""
    sheet_of(ctx, request.get("sheetId")).basic_filter = None
    return {}


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "appendCells": append_cells,
    "repeatCell": repeat_cell,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "updateBorders": update_borders,
    "setDataValidation": set_data_validation,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
}
