"""spreadsheets.get: the Spreadsheet resource, grid data for ranges, and the `fields` mask."""

from __future__ import annotations

import copy
from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.cow import clone
from connectors.emulators.sheets.errors import bad_request
from connectors.emulators.sheets.state import COL_PIXELS, ROW_PIXELS, Json, Sheet, Spreadsheet

FieldTree = dict[str, Any]  # name -> subtree, or None for "everything below"


def parse_fields(text: str) -> FieldTree:
    """Parse a partial-response mask: `a,b.c,d(e,f/g)` into a tree."""
    tree, rest = _parse_list(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise bad_request(f"Invalid field selection {text}")
    return tree


def _parse_list(text: str, pos: int) -> tuple[FieldTree, int]:
    tree: FieldTree = {}
    while pos < len(text) and text[pos] != ")":
        pos = _parse_path(text, pos, tree)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return tree, pos


def _parse_path(text: str, pos: int, tree: FieldTree) -> int:
    start = pos
    while pos < len(text) and text[pos] not in ",()./":
        pos += 1
    name = text[start:pos]
    if not name:
        raise bad_request(f"Invalid field selection {text}")
    if pos < len(text) and text[pos] in "./":
        child = tree.get(name) or {}
        tree[name] = child
        return _parse_path(text, pos + 1, child)
    if pos < len(text) and text[pos] == "(":
        sub, pos = _parse_list(text, pos + 1)
        if name not in tree or tree[name] is not None:
            # A field already selected whole stays whole; otherwise the selections merge.
            tree[name] = {**(tree.get(name) or {}), **sub}
        return pos + 1
    tree[name] = None
    return pos


def apply_mask(value: Any, tree: FieldTree | None) -> Any:
    """Keep only the masked fields (lists apply the mask to each element)."""
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if isinstance(value, dict):
        return {k: apply_mask(v, tree[k]) for k, v in value.items() if k in tree}
    return value


def wants_grid(tree: FieldTree | None) -> bool:
    """Whether a mask asks for sheets.data (which returns grid data even without includeGridData)."""
    if tree is None:
        return False
    sheets = tree.get("sheets", {})
    return sheets is not None and "data" in sheets


def trim_grid(book: Json) -> None:
    """Drop trailing empty rows and cells left after masking, as Google does."""
    for sheet in book.get("sheets", []):
        for grid in sheet.get("data", []):
            rows = grid.get("rowData")
            if rows is None:
                continue
            for row in rows:
                values = row.get("values")
                if values is not None:
                    while values and not values[-1]:
                        values.pop()
                    if not values:
                        del row["values"]
            while rows and not rows[-1]:
                rows.pop()
            if not rows:
                del grid["rowData"]


def dimension_json(meta: Json, sheet_id: int, dimension: str, index: int) -> Json:
    """DimensionProperties for one row or column, with metadata locations computed from its position."""
    out: Json = {}
    if meta.get("hiddenByUser"):
        out["hiddenByUser"] = True
    out["pixelSize"] = meta.get("pixelSize", ROW_PIXELS if dimension == "ROWS" else COL_PIXELS)
    if meta.get("developerMetadata"):
        out["developerMetadata"] = [
            metadata_json(md, sheet_id, dimension, index) for md in meta["developerMetadata"]
        ]
    return out


def metadata_json(md: Json, sheet_id: int, dimension: str, index: int) -> Json:
    """A DeveloperMetadata with its ROW/COLUMN location."""
    location = {
        "locationType": "ROW" if dimension == "ROWS" else "COLUMN",
        "dimensionRange": {
            "sheetId": sheet_id,
            "dimension": dimension,
            "startIndex": index,
            "endIndex": index + 1,
        },
    }
    out = {"metadataId": md["metadataId"], "metadataKey": md["metadataKey"]}
    if "metadataValue" in md:
        out["metadataValue"] = md["metadataValue"]
    out.update({"location": location, "visibility": md.get("visibility", "DOCUMENT")})
    return out


def grid_json(sheet: Sheet, bounds: a1.Bounds) -> Json:
    """GridData for a rectangle: rowData trimmed of trailing empty rows/cells, plus row/column metadata."""
    out: Json = {}
    if bounds.start_row:
        out["startRow"] = bounds.start_row
    if bounds.start_col:
        out["startColumn"] = bounds.start_col
    rows: list[Json] = []
    for r in range(bounds.start_row, bounds.end_row):
        cells = [clone(sheet.cell(r, c)) for c in range(bounds.start_col, bounds.end_col)]
        while cells and not cells[-1]:
            cells.pop()
        rows.append({"values": cells} if cells else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        out["rowData"] = rows
    out["rowMetadata"] = [
        dimension_json(sheet.row_meta[r], sheet.sheet_id, "ROWS", r)
        for r in range(bounds.start_row, bounds.end_row)
    ]
    out["columnMetadata"] = [
        dimension_json(sheet.col_meta[c], sheet.sheet_id, "COLUMNS", c)
        for c in range(bounds.start_col, bounds.end_col)
    ]
    return out


def sheet_json(sheet: Sheet, grids: list[a1.Bounds] | None) -> Json:
    """One Sheet resource; `grids` are the rectangles to include as data (None: no grid data)."""
    out: Json = {"properties": copy.deepcopy(sheet.properties)}
    if grids is not None:
        out["data"] = [grid_json(sheet, bounds) for bounds in grids]
    for key, items in (
        ("merges", sheet.merges),
        ("conditionalFormats", sheet.conditional_formats),
        ("protectedRanges", sheet.protected_ranges),
        ("rowGroups", sheet.row_groups),
        ("columnGroups", sheet.column_groups),
    ):
        if items:
            out[key] = copy.deepcopy(items)
    if sheet.basic_filter:
        out["basicFilter"] = copy.deepcopy(sheet.basic_filter)
    if sheet.developer_metadata:
        location = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        out["developerMetadata"] = [
            {**md, "location": location} for md in copy.deepcopy(sheet.developer_metadata)
        ]
    return out


def spreadsheet_json(book: Spreadsheet, ranges: list[str], include_grid: bool, fields: str | None) -> Json:
    """The Spreadsheet resource as spreadsheets.get answers it."""
    tree = parse_fields(fields) if fields else None
    include_grid = include_grid or wants_grid(tree)
    selected: list[tuple[Sheet, list[a1.Bounds] | None]] = []
    if ranges:
        for text in ranges:
            sheet, bounds = book.resolve(text)
            match = next((entry for entry in selected if entry[0] is sheet), None)
            if match is None:
                match = (sheet, [] if include_grid else None)
                selected.append(match)
            if match[1] is not None:
                match[1].append(bounds)
    else:
        for sheet in book.sheets:
            full = a1.Bounds(0, 0, sheet.row_count, sheet.col_count)
            selected.append((sheet, [full] if include_grid else None))
    out: Json = {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "sheets": [sheet_json(sheet, grids) for sheet, grids in selected],
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    if book.developer_metadata:
        location = {"locationType": "SPREADSHEET", "spreadsheet": True}
        out["developerMetadata"] = [
            {**md, "location": location} for md in copy.deepcopy(book.developer_metadata)
        ]
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit"
    if tree is not None:
        out = apply_mask(out, tree)
        trim_grid(out)
    return out
