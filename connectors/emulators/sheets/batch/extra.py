"""batchUpdate handlers gspread also sends: copyPaste, cutPaste, add/deleteDimensionGroup."""

from __future__ import annotations

import copy

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.batch.base import Context, Handler, RequestError, dimension_range, grid_range
from connectors.emulators.sheets.cells import compute
from connectors.emulators.sheets.state import Json, Sheet

_VALUE_KEYS = ("userEnteredValue", "effectiveValue", "formattedValue")


def _pick(cell: Json, paste_type: str) -> Json | None:
    """The part of a cell a paste type carries, or None when the target keeps its own content."""
    if paste_type == "PASTE_VALUES":
        return {k: v for k, v in cell.items() if k in _VALUE_KEYS}
    if paste_type == "PASTE_FORMAT":
        return {k: v for k, v in cell.items() if k == "userEnteredFormat"}
    if paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS"):
        return copy.deepcopy(cell)
    raise RequestError(f"pasteType {paste_type} is not emulated.")


def _paste(target: Sheet, top: int, left: int, block: list[list[Json]], paste_type: str) -> None:
    for r, row in enumerate(block):
        for c, cell in enumerate(row):
            if top + r >= target.row_count or left + c >= target.col_count:
                raise RequestError("The paste would go beyond the grid.")
            part = _pick(cell, paste_type)
            kept = target.cell(top + r, left + c)
            if paste_type == "PASTE_VALUES":
                part = {**{k: v for k, v in kept.items() if k not in _VALUE_KEYS}, **(part or {})}
            elif paste_type == "PASTE_FORMAT":
                part = {**{k: v for k, v in kept.items() if k != "userEnteredFormat"}, **(part or {})}
            target.set_cell(top + r, left + c, compute(part) if part else {})


def _block(sheet: Sheet, b: a1.Bounds) -> list[list[Json]]:
    return [
        [copy.deepcopy(sheet.cell(r, c)) for c in range(b.start_col, b.end_col)]
        for r in range(b.start_row, b.end_row)
    ]


def copy_paste(ctx: Context, request: Json) -> Json:
    """Copy a range to the top-left of the destination (the source is not tiled)."""
    sheet, source = grid_range(ctx, request.get("source") or {})
    target, dest = grid_range(ctx, request.get("destination") or {})
    block = _block(sheet, source)
    if request.get("pasteOrientation") == "TRANSPOSE":
        block = [list(col) for col in zip(*block, strict=True)]
    _paste(target, dest.start_row, dest.start_col, block, str(request.get("pasteType", "PASTE_NORMAL")))
    return {}


def cut_paste(ctx: Context, request: Json) -> Json:
    """Move a range's cells to a coordinate, leaving the source empty."""
    sheet, source = grid_range(ctx, request.get("source") or {})
    destination = request.get("destination") or {}
    target, _ = grid_range(ctx, {"sheetId": destination.get("sheetId")})
    block = _block(sheet, source)
    for r in range(source.start_row, source.end_row):
        for c in range(source.start_col, source.end_col):
            sheet.set_cell(r, c, {})
    top, left = int(destination.get("rowIndex", 0)), int(destination.get("columnIndex", 0))
    _paste(target, top, left, block, str(request.get("pasteType", "PASTE_NORMAL")))
    return {}


def _groups(sheet: Sheet, dimension: str) -> list[Json]:
    return sheet.row_groups if dimension == "ROWS" else sheet.column_groups


def _group_range(sheet: Sheet, dimension: str, start: int, end: int) -> Json:
    rng: Json = {"sheetId": sheet.sheet_id, "dimension": dimension, "startIndex": start, "endIndex": end}
    if not sheet.sheet_id:
        del rng["sheetId"]
    return rng


def add_dimension_group(ctx: Context, request: Json) -> Json:
    """Group rows or columns; a group inside another one is one level deeper."""
    sheet, dimension, start, end = dimension_range(ctx, request.get("range") or {})
    groups = _groups(sheet, dimension)
    if any(g["range"]["startIndex"] == start and g["range"]["endIndex"] == end for g in groups):
        raise RequestError("That group already exists.")
    depth = 1 + sum(1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"])
    groups.append({"range": _group_range(sheet, dimension, start, end), "depth": depth})
    # Google switches the group toggle to "after" on the first group, as the recorded traffic shows.
    control = "rowGroupControlAfter" if dimension == "ROWS" else "columnGroupControlAfter"
    sheet.properties["gridProperties"][control] = True
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    return {"addDimensionGroup": {"dimensionGroups": copy.deepcopy(groups)}}


def delete_dimension_group(ctx: Context, request: Json) -> Json:
    """Remove the group with exactly this range."""
    sheet, dimension, start, end = dimension_range(ctx, request.get("range") or {})
    groups = _groups(sheet, dimension)
    kept = [g for g in groups if (g["range"]["startIndex"], g["range"]["endIndex"]) != (start, end)]
    if len(kept) == len(groups):
        raise RequestError("No group with that range exists.")
    groups[:] = kept
    return {"deleteDimensionGroup": {"dimensionGroups": copy.deepcopy(kept)} if kept else {}}


HANDLERS: dict[str, Handler] = {
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "addDimensionGroup": add_dimension_group,
    "deleteDimensionGroup": delete_dimension_group,
}
