"""batchUpdate handlers for tabs and the spreadsheet: addSheet, deleteSheet, update*Properties."""

from __future__ import annotations

import copy

from connectors.emulators.sheets.batch.base import (
    Context,
    Handler,
    RequestError,
    clean,
    merge_masked,
    new_id,
    required_fields,
    sheet_of,
)
from connectors.emulators.sheets.state import DEFAULT_COLS, DEFAULT_ROWS, Json, Sheet


def _check_title(ctx: Context, title: str, own: Sheet | None = None) -> None:
    if not title.strip():
        raise RequestError("Sheet name cannot be empty.")
    other = ctx.book.sheet_by_title(title)
    if other is not None and other is not own:
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')


def add_sheet(ctx: Context, request: Json) -> Json:
    """Add a tab (random sheetId unless given); replies with its properties."""
    props = copy.deepcopy(request.get("properties") or {})
    taken = {s.sheet_id for s in ctx.book.sheets}
    if "sheetId" in props and int(props["sheetId"]) in taken:
        raise RequestError(f"A sheet with the id {props['sheetId']} already exists.")
    sheet_id = int(props.pop("sheetId", new_id(ctx, taken)))
    number = len(ctx.book.sheets) + 1
    while ctx.book.sheet_by_title(f"Sheet{number}") is not None:
        number += 1
    title = str(props.pop("title", f"Sheet{number}"))
    _check_title(ctx, title)
    index = int(props.pop("index", len(ctx.book.sheets)))
    grid = props.pop("gridProperties", {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    ordered: Json = {"sheetId": sheet_id, "title": title, "index": index}
    ordered["sheetType"] = props.pop("sheetType", "GRID")
    ordered["gridProperties"] = grid
    ordered.update(props)
    sheet = Sheet(ordered)
    ctx.book.sheets.insert(min(index, len(ctx.book.sheets)), sheet)
    ctx.book.reindex()
    return {"addSheet": {"properties": copy.deepcopy(sheet.properties)}}


def delete_sheet(ctx: Context, request: Json) -> Json:
    """Delete a tab; the last one cannot go."""
    sheet = sheet_of(ctx, request.get("sheetId"))
    if len(ctx.book.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    ctx.book.sheets.remove(sheet)
    ctx.book.reindex()
    return {}


def update_sheet_properties(ctx: Context, request: Json) -> Json:
    """Update tab properties under a fields mask: title, index, hidden, frozen rows/columns, grid size."""
    source = request.get("properties") or {}
    sheet = sheet_of(ctx, source.get("sheetId"))
    tree = required_fields(request)
    before = copy.deepcopy(sheet.properties)
    updated = clean(merge_masked(copy.deepcopy(sheet.properties), source, tree), drop_false=True)
    updated["sheetId"] = sheet.sheet_id
    _check_title(ctx, str(updated.get("title", "")), sheet)
    grid = updated.setdefault("gridProperties", {})
    rows = int(grid.get("rowCount", before["gridProperties"]["rowCount"]))
    cols = int(grid.get("columnCount", before["gridProperties"]["columnCount"]))
    if rows < 1 or cols < 1:
        raise RequestError("The grid must keep at least one row and one column.")
    if int(grid.get("frozenRowCount", 0)) >= rows:
        raise RequestError("You can't freeze all visible rows on the sheet.")
    if int(grid.get("frozenColumnCount", 0)) >= cols:
        raise RequestError("You can't freeze all visible columns on the sheet.")
    if updated.get("hidden") and all(s.properties.get("hidden") for s in ctx.book.sheets if s is not sheet):
        raise RequestError("You can't hide all the sheets in a document.")
    if "tabColorStyle" in tree or "tabColor" in tree:
        _mirror_tab_colour(updated, "tabColorStyle" in tree)
    for key in ("frozenRowCount", "frozenColumnCount"):
        if grid.get(key) == 0:
            del grid[key]
    sheet.properties.clear()
    sheet.properties.update(updated)
    sheet.properties["gridProperties"]["rowCount"] = before["gridProperties"]["rowCount"]
    sheet.properties["gridProperties"]["columnCount"] = before["gridProperties"]["columnCount"]
    sheet.resize(rows, cols)
    if "index" in updated and updated["index"] != before.get("index"):
        ctx.book.sheets.remove(sheet)
        ctx.book.sheets.insert(min(int(updated["index"]), len(ctx.book.sheets)), sheet)
        ctx.book.reindex()
    return {}


def _mirror_tab_colour(props: Json, style_given: bool) -> None:
    """Google keeps the tab colour twice (tabColor and tabColorStyle.rgbColor); the one given wins."""
    style = props.get("tabColorStyle") or {}
    if style_given:
        props.pop("tabColor", None)
        if "rgbColor" in style:
            props["tabColor"] = dict(style["rgbColor"])
    else:
        props.pop("tabColorStyle", None)
        if "tabColor" in props:
            props["tabColorStyle"] = {"rgbColor": dict(props["tabColor"])}


def update_spreadsheet_properties(ctx: Context, request: Json) -> Json:
    """Update the spreadsheet's properties (title, locale, timeZone, ...) under a fields mask."""
    tree = required_fields(request)
    updated = merge_masked(copy.deepcopy(ctx.book.properties), request.get("properties") or {}, tree)
    ctx.book.properties.clear()
    ctx.book.properties.update(updated)
    return {}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
}
