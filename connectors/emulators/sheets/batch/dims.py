"""batchUpdate handlers for rows and columns: insert, delete, move, append, properties, sort."""

from __future__ import annotations

import copy

from connectors.emulators.sheets import a1, dims, metrics
from connectors.emulators.sheets.batch.base import (
    Context,
    Handler,
    RequestError,
    dimension_range,
    grid_range,
    merge_masked,
    required_fields,
    sheet_of,
)
from connectors.emulators.sheets.state import Json


def insert_dimension(ctx: Context, request: Json) -> Json:
    """Insert rows or columns; the range may start at the grid's end (appending)."""
    rng = request.get("range") or {}
    sheet = sheet_of(ctx, rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise RequestError("range.dimension must be ROWS or COLUMNS.")
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
    if not 0 <= start < end or start > size:
        raise RequestError(f"Invalid dimension range: [{start}, {end}).")
    if request.get("inheritFromBefore") and start == 0:
        raise RequestError("Cannot inherit properties from before if inserting at the beginning.")
    dims.insert(sheet, dimension, start, end - start)
    return {}


def append_dimension(ctx: Context, request: Json) -> Json:
    """Add rows or columns at the end of the grid."""
    sheet = sheet_of(ctx, request.get("sheetId"))
    length = int(request.get("length", 0))
    if length < 1:
        raise RequestError("length must be at least 1.")
    if request.get("dimension") == "COLUMNS":
        dims.insert(sheet, "COLUMNS", sheet.col_count, length)
    else:
        dims.insert(sheet, "ROWS", sheet.row_count, length)
    return {}


def delete_dimension(ctx: Context, request: Json) -> Json:
    """Delete rows or columns (with their metadata); the grid must keep at least one of each."""
    sheet, dimension, start, end = dimension_range(ctx, request.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    if end - start >= size:
        what = "rows" if dimension == "ROWS" else "columns"
        raise RequestError(f"You can't delete all the {what} on the sheet.")
    frozen_key = "frozenRowCount" if dimension == "ROWS" else "frozenColumnCount"
    grid = sheet.properties["gridProperties"]
    if grid.get(frozen_key, 0) and grid[frozen_key] >= size - (end - start):
        # Google's recorded wording (node-google-spreadsheet#186, talendcomp_tGoogleSheet#19).
        raise RequestError(f"Sorry, it is not possible to delete all non-frozen {dimension.lower()}.")
    dims.delete(sheet, dimension, start, end)
    return {}


def move_dimension(ctx: Context, request: Json) -> Json:
    """Move rows or columns (and their metadata) to a destination index."""
    sheet, dimension, start, end = dimension_range(ctx, request.get("source") or {})
    destination = int(request.get("destinationIndex", 0))
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    if not 0 <= destination <= size:
        raise RequestError(f"destinationIndex {destination} is out of the grid.")
    if start < destination < end:
        raise RequestError("destinationIndex must be outside the source range.")
    dims.move(sheet, dimension, start, end, destination)
    return {}


def update_dimension_properties(ctx: Context, request: Json) -> Json:
    """Set pixelSize / hiddenByUser (under a fields mask) on rows or columns."""
    if request.get("dataSourceSheetRange"):
        raise RequestError("Data source sheets are not emulated.")
    sheet, dimension, start, end = dimension_range(ctx, request.get("range") or {})
    tree = required_fields(request)
    source = {k: v for k, v in (request.get("properties") or {}).items() if k != "developerMetadata"}
    metas = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    for index in range(start, end):
        kept = metas[index].get("developerMetadata")
        updated = merge_masked(copy.deepcopy(metas[index]), source, tree)
        if not updated.get("hiddenByUser"):
            updated.pop("hiddenByUser", None)
        if kept:
            updated["developerMetadata"] = kept
        metas[index] = updated
    return {}


def sort_range(ctx: Context, request: Json) -> Json:
    """Stable sort of a range's rows by several specs; empty cells last; rows keep their metadata."""
    sheet, bounds = grid_range(ctx, request.get("range") or {})
    specs = request.get("sortSpecs") or []
    for spec in specs:
        if (
            spec.get("dataSourceColumnReference")
            or spec.get("foregroundColor")
            or spec.get("backgroundColor")
        ):
            raise RequestError("Only sorting by dimensionIndex is emulated.")
        column = int(spec.get("dimensionIndex", 0))
        if not bounds.start_col <= column < bounds.end_col:
            raise RequestError(f"sortSpecs dimensionIndex {column} is outside the range.")
    if any(_vertical(m, bounds) for m in sheet.merges):
        # Sheets refuses to sort rows a merge spans (no row order keeps the merge whole); the wording is
        # ours, the refusal (a 400, nothing applied) is Google's.
        raise RequestError("Cannot sort a range that contains vertically merged cells.")
    dims.sort(sheet, bounds, specs)
    return {}


def _vertical(merge: Json, bounds: a1.Bounds) -> bool:
    """Whether a merge spans several rows and overlaps the range."""
    top, bottom = int(merge.get("startRowIndex", 0)), int(merge.get("endRowIndex", 0))
    left, right = int(merge.get("startColumnIndex", 0)), int(merge.get("endColumnIndex", 0))
    overlaps = top < bounds.end_row and bounds.start_row < bottom
    overlaps = overlaps and left < bounds.end_col and bounds.start_col < right
    return overlaps and bottom - top > 1


def auto_resize_dimensions(ctx: Context, request: Json) -> Json:
    """Size columns to their widest text, rows to their tallest (metrics.py); empty ones keep their size."""
    sheet, dimension, start, end = dimension_range(ctx, request.get("dimensions") or {})
    columns = dimension == "COLUMNS"
    metas = sheet.col_meta if columns else sheet.row_meta
    for index in range(start, end):
        cells = (
            [sheet.cell(r, index) for r in range(sheet.row_count)]
            if columns
            else [sheet.cell(index, c) for c in range(len(sheet.rows[index]))]
        )
        texts = [
            (str(c["formattedValue"]), c.get("userEnteredFormat") or {})
            for c in cells
            if c.get("formattedValue")
        ]
        if texts:
            measure = metrics.text_width if columns else metrics.text_height
            metas[index]["pixelSize"] = max(measure(text, fmt) for text, fmt in texts)
    return {}


HANDLERS: dict[str, Handler] = {
    "insertDimension": insert_dimension,
    "appendDimension": append_dimension,
    "deleteDimension": delete_dimension,
    "moveDimension": move_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "sortRange": sort_range,
    "autoResizeDimensions": auto_resize_dimensions,
}
