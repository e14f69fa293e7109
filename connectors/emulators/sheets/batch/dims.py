"""batchUpdate handlers for rows and columns: insert, delete, move, append, properties, sort."""

from __future__ import annotations

import copy

from connectors.emulators.sheets import dims
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
        raise RequestError(f"You can't delete all non-frozen {dimension.lower()}.")
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
    dims.sort(sheet, bounds, specs)
    return {}


def auto_resize_dimensions(ctx: Context, request: Json) -> Json:
    """Accepted and checked; the emulator has no text metrics, so sizes stay."""
    dimension_range(ctx, request.get("dimensions") or {})
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
