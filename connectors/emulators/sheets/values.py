"""The spreadsheets.values.* endpoints: get, batchGet, update, batchUpdate, append, clear, batchClear."""

from __future__ import annotations

import json
from typing import Any

from connectors.emulators.sheets import a1, dims
from connectors.emulators.sheets.cells import compute, render, user_entered
from connectors.emulators.sheets.errors import bad_request
from connectors.emulators.sheets.state import Json, Sheet, Spreadsheet, has_value, peek

INPUT_OPTIONS = ("RAW", "USER_ENTERED")


def read_range(
    book: Spreadsheet,
    text: str,
    major: str = "ROWS",
    value_render: str = "FORMATTED_VALUE",
    datetime_render: str = "SERIAL_NUMBER",
) -> Json:
    """A ValueRange: the normalised range echoed, values trimmed of trailing empty rows and cells."""
    sheet, bounds = book.resolve(text)
    rows, cols = sheet.extent(bounds)
    grid = [
        [
            render(sheet.cell(bounds.start_row + r, bounds.start_col + c), value_render, datetime_render)
            for c in range(cols)
        ]
        for r in range(rows)
    ]
    if major == "COLUMNS":
        grid = [list(column) for column in zip(*grid, strict=False)] if grid else []
    values = [_trim(row) for row in grid]
    while values and not values[-1]:
        values.pop()
    out: Json = {"range": a1.format_bounds(sheet.title, bounds), "majorDimension": major}
    if values:
        out["values"] = values
    return out


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] == "":
        row.pop()
    return row


def input_option(value: str | None) -> bool:
    """Whether to parse input (USER_ENTERED); 400 when the option is missing or unknown."""
    if not value:
        raise bad_request("'valueInputOption' is required but not specified")
    if value not in INPUT_OPTIONS:
        raise bad_request(f"Invalid value at 'value_input_option' (TYPE_ENUM), \"{value}\"")
    return value == "USER_ENTERED"


def _as_rows(body: Json) -> list[list[Any]]:
    values = body.get("values") or []
    _check_scalars(values)
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(col) for col in values), default=0)
        return [[col[r] if r < len(col) else None for col in values] for r in range(width)]
    return [list(row) for row in values]


def _check_scalars(values: list[Any]) -> None:
    """A cell takes a string, number, bool or null; a list or object in a cell is Google's 400
    `Invalid values[i][j]: list_value {...}` / `struct_value {...}` (reported: pygsheets#338,
    texastribune/data-visuals-create#158, burnash/gspread#668), never stored as Python's text of it."""
    for i, row in enumerate(values):
        for j, value in enumerate(row if isinstance(row, list) else []):
            if isinstance(value, list | dict):
                raise bad_request(f"Invalid values[{i}][{j}]: {_proto_text(value)}")


def _proto_text(value: Any, indent: str = "") -> str:
    """A google.protobuf.Value in protobuf's text format, as Google's messages quote it."""
    inner = indent + "  "
    if isinstance(value, dict):
        fields = "".join(
            f"{inner}fields {{\n{inner}  key: {json.dumps(str(k))}\n{inner}  value {{\n"
            f"{inner}    {_proto_text(v, inner + '    ')}\n{inner}  }}\n{inner}}}\n"
            for k, v in value.items()
        )
        return f"struct_value {{\n{fields}{indent}}}"
    if isinstance(value, list):
        items = "".join(
            f"{inner}values {{\n{inner}  {_proto_text(v, inner + '  ')}\n{inner}}}\n" for v in value
        )
        return f"list_value {{\n{items}{indent}}}"
    if value is None:
        return "null_value: NULL_VALUE"
    if isinstance(value, bool):
        return f"bool_value: {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number_value: {value}"
    return f"string_value: {json.dumps(str(value), ensure_ascii=False)}"


def write_cell(sheet: Sheet, row: int, col: int, value: Any, parse: bool) -> None:
    """Write one entered value, keeping the cell's formatting (a parsed date adds its number format)."""
    if value is None:
        return
    cell = {
        k: v for k, v in sheet.cell(row, col).items() if k in ("userEnteredFormat", "note", "dataValidation")
    }
    entered = user_entered(value, parse)
    if "userEnteredFormat" in entered:
        cell["userEnteredFormat"] = {**cell.get("userEnteredFormat", {}), **entered["userEnteredFormat"]}
    if "userEnteredValue" in entered:
        cell["userEnteredValue"] = entered["userEnteredValue"]
    sheet.set_cell(row, col, compute(cell))


def write_range(book: Spreadsheet, text: str, body: Json, parse: bool) -> Json:
    """values.update: write a block at a range; answers the UpdateValuesResponse."""
    sheet, bounds = book.resolve(text)
    rows = _as_rows(body)
    height, width = len(rows), max((len(row) for row in rows), default=0)
    written = a1.Bounds(
        bounds.start_row, bounds.start_col, bounds.start_row + height, bounds.start_col + width
    )
    single = bounds.rows == 1 and bounds.cols == 1 and ":" not in text.rpartition("!")[2]
    if not single and (height > bounds.rows or width > bounds.cols):
        over = f"row [{written.end_row}]" if height > bounds.rows else f"column [{written.end_col}]"
        raise bad_request(f"Requested writing within range [{text}], but tried writing to {over}")
    if written.end_row > sheet.row_count or written.end_col > sheet.col_count:
        raise bad_request(
            f"Range ({a1.format_bounds(sheet.title, written)}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
        )
    touched: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:  # null leaves the cell as it is and is not counted
                write_cell(sheet, bounds.start_row + r, bounds.start_col + c, value, parse)
                touched.add((r, c))
    out: Json = {"spreadsheetId": book.spreadsheet_id}
    out["updatedRange"] = a1.format_bounds(sheet.title, written if height and width else bounds)
    if touched:
        out["updatedRows"] = len({r for r, _ in touched})
        out["updatedColumns"] = len({c for _, c in touched})
        out["updatedCells"] = len(touched)
    return out


def clear_range(book: Spreadsheet, text: str) -> str:
    """values.clear: remove values (formatting stays); answers the cleared range."""
    sheet, bounds = book.resolve(text)
    for r in range(bounds.start_row, bounds.end_row):
        for c in range(bounds.start_col, min(bounds.end_col, len(sheet.rows[r]))):
            cell = sheet.rows[r][c]
            for key in ("userEnteredValue", "effectiveValue", "formattedValue"):
                cell.pop(key, None)
    return a1.format_bounds(sheet.title, bounds)


def append(book: Spreadsheet, text: str, body: Json, parse: bool, insert_rows: bool) -> Json:
    """values.append: find the table in the range and write the rows after its last row.

    The search range may reach past the grid (clients append to `Tab!A:ZZ` on 26-column tabs: GitHub code
    search for "!A:ZZ:append"); rows wider than the grid widen it ("Widens the worksheet if there are more
    values than columns", gspread's append_rows, a plain values.append). appendCells, by contrast, adds no
    columns (batch/cells.py).
    """
    sheet, bounds = book.resolve(text, clip=True)
    rows = _as_rows(body)
    table = _find_table(sheet, bounds)
    start_row = table.end_row if table else bounds.start_row
    start_col = table.start_col if table else bounds.start_col
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if start_col + width > sheet.col_count:
        dims.insert(sheet, "COLUMNS", sheet.col_count, start_col + width - sheet.col_count)
    if insert_rows and height:
        dims.insert(sheet, "ROWS", start_row, height)
    sheet.resize(max(sheet.row_count, start_row + height), sheet.col_count)
    target = f"{a1.quote_sheet(sheet.title)}!{a1.column_letters(start_col)}{start_row + 1}"
    updates = write_range(book, target, {"values": rows}, parse)
    out: Json = {"spreadsheetId": book.spreadsheet_id}
    if table:
        out["tableRange"] = a1.format_bounds(sheet.title, table)
    out["updates"] = updates
    return out


def _filled(sheet: Sheet, r: int, c: int) -> bool:
    if not 0 <= r < sheet.row_count:
        return False
    row = peek(sheet.rows, r)  # a read: never copies the row (cow.py)
    return 0 <= c < len(row) and has_value(row[c])


def _find_table(sheet: Sheet, bounds: a1.Bounds) -> a1.Bounds | None:
    """The table Google appends to: the filled region (4-connected, reaching past the range) around the
    last filled cell of the range."""
    seeds = [
        (r, c)
        for r in range(bounds.start_row, min(bounds.end_row, sheet.row_count))
        for c in range(bounds.start_col, min(bounds.end_col, len(peek(sheet.rows, r))))
        if has_value(peek(sheet.rows, r)[c])
    ]
    if not seeds:
        return None
    region, todo = set(), [max(seeds)]
    while todo:
        r, c = todo.pop()
        if (r, c) in region or not _filled(sheet, r, c):
            continue
        region.add((r, c))
        todo += [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
    rows, cols = [r for r, _ in region], [c for _, c in region]
    return a1.Bounds(min(rows), min(cols), max(rows) + 1, max(cols) + 1)
