"""Plan -> the request dicts of ONE atomic spreadsheets.batchUpdate."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from app.core.decode import COLUMN_TAG_KEY
from app.core.model import Cell
from app.core.plan import CellChange, Plan

Request = dict[str, Any]
PATTERNS = {"DATE": "yyyy-mm-dd", "DATE_TIME": "yyyy-mm-dd hh:mm"}
# The same patterns for Python's strftime, so logs, pages and the CLI show dates as the sheet shows them.
STRFTIME = {"DATE": "%Y-%m-%d", "DATE_TIME": "%Y-%m-%d %H:%M"}
VALUE_MASK = "userEnteredValue"
NUMBER_FORMAT_MASK = "userEnteredFormat.numberFormat"
LINK_MASK = "userEnteredFormat.textFormat.link"
CHECKBOX_MASK = "dataValidation"
NOTE_MASK = "note"


def cell_data(cell: Cell) -> dict[str, Any]:
    """CellData for one typed cell; text is always a stringValue so it is never run as a formula."""
    data: dict[str, Any] = {}
    value = cell.value
    if isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, float):
        data["userEnteredValue"] = {"numberValue": value}
    elif isinstance(value, str):
        data["userEnteredValue"] = {"stringValue": value}
    formats: dict[str, Any] = {}
    if cell.number_format is not None:
        formats["numberFormat"] = {"type": cell.number_format, "pattern": PATTERNS[cell.number_format]}
    if cell.link is not None:
        formats["textFormat"] = {"link": {"uri": cell.link}}
    if formats:
        data["userEnteredFormat"] = formats
    if cell.checkbox:
        data["dataValidation"] = {"condition": {"type": "BOOLEAN"}}
    if cell.note is not None:
        data["note"] = cell.note
    return data


def fields_mask(cells: Iterable[Cell]) -> str:
    """Only the parts we write, so others' colours, notes and borders stay."""
    masks = [VALUE_MASK]
    cells = list(cells)
    for wanted, mask in (
        (any(c.number_format for c in cells), NUMBER_FORMAT_MASK),
        (any(c.link for c in cells), LINK_MASK),
        (any(c.checkbox for c in cells), CHECKBOX_MASK),
        (any(c.note is not None for c in cells), NOTE_MASK),
    ):
        if wanted:
            masks.append(mask)
    return ",".join(masks)


def _runs(changes: Sequence[CellChange]) -> list[list[CellChange]]:
    """Split a row's changes into runs of adjacent columns (never spanning a free column)."""
    runs: list[list[CellChange]] = []
    for change in sorted(changes, key=lambda c: c.column):
        if runs and runs[-1][-1].column + 1 == change.column:
            runs[-1].append(change)
        else:
            runs.append([change])
    return runs


def _update(sheet_id: int, row: int, column: int, cells: Sequence[Cell]) -> Request:
    """updateCells writing `cells` from (row, column) rightwards."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
            "rows": [{"values": [cell_data(c) for c in cells]}],
            "fields": fields_mask(cells),
        }
    }


def _column_requests(plan: Plan) -> list[Request]:
    """Grow the grid when needed, restore header texts and tag owned columns."""
    requests: list[Request] = []
    width = max((fix.column + 1 for fix in plan.headers), default=0)
    width = max([width, *(col + 1 for a in plan.appends[:1] for col, _ in a.cells)])
    if width > plan.column_count:
        requests.append(
            {
                "appendDimension": {
                    "sheetId": plan.sheet_id,
                    "dimension": "COLUMNS",
                    "length": width - plan.column_count,
                }
            }
        )
    for fix in plan.headers:
        if fix.write_header:
            requests.append(_update(plan.sheet_id, 0, fix.column, [Cell(fix.header)]))
        if fix.tag:
            location = {"sheetId": plan.sheet_id, "dimension": "COLUMNS", "startIndex": fix.column}
            location["endIndex"] = fix.column + 1
            requests.append(
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": COLUMN_TAG_KEY,
                            "metadataValue": fix.field,
                            "location": {"dimensionRange": location},
                            "visibility": "DOCUMENT",
                        }
                    }
                }
            )
    return requests


def _delete_requests(plan: Plan) -> list[Request]:
    """deleteDimension per run of adjacent rows, bottom first so earlier indices stay valid."""
    requests: list[Request] = []
    rows = sorted({d.row for d in plan.deletes}, reverse=True)
    i = 0
    while i < len(rows):
        end = i
        while end + 1 < len(rows) and rows[end + 1] == rows[end] - 1:
            end += 1
        span = {
            "sheetId": plan.sheet_id,
            "dimension": "ROWS",
            "startIndex": rows[end],
            "endIndex": rows[i] + 1,
        }
        requests.append({"deleteDimension": {"range": span}})
        i = end + 1
    return requests


def _append_request(plan: Plan) -> list[Request]:
    """One appendCells with every new row; columns we do not own are left empty."""
    if not plan.appends:
        return []
    width = max(col + 1 for a in plan.appends for col, _ in a.cells)
    rows, cells = [], []
    for append in plan.appends:
        values: list[dict[str, Any]] = [{} for _ in range(width)]
        for column, cell in append.cells:
            values[column] = cell_data(cell)
            cells.append(cell)
        rows.append({"values": values})
    return [{"appendCells": {"sheetId": plan.sheet_id, "rows": rows, "fields": fields_mask(cells)}}]


def _spare_rows(plan: Plan) -> list[Request]:
    """Empty rows added at the grid's end when the deletes would otherwise leave no non-frozen row."""
    if plan.spare_rows < 1:
        return []
    return [{"appendDimension": {"sheetId": plan.sheet_id, "dimension": "ROWS", "length": plan.spare_rows}}]


def _header_format(plan: Plan) -> list[Request]:
    """Freeze and embolden the header row."""
    return [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": plan.sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "repeatCell": {
                "range": {"sheetId": plan.sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    ]


def render(plan: Plan, after_appends: Sequence[Request] = ()) -> list[Request]:
    """Every request of the plan, in an order where each row index is still valid when used.

    `after_appends` go right after the appendCells, before the sort (the appended rows' anchors).
    """
    requests = _column_requests(plan)
    for update in plan.updates:
        for run in _runs(update.changes):
            requests.append(_update(plan.sheet_id, update.row, run[0].column, [c.after for c in run]))
    # New rows go in before old ones go, so the grid always keeps a non-frozen row: Sheets rejects the
    # whole batch when one deleteDimension would leave none ("Sorry, it is not possible to delete all
    # non-frozen rows.", node-google-spreadsheet#186; the fix Google's users found: insert, then delete).
    # appendCells writes below the last row with data, so the deletes' row indices stay valid.
    requests += _append_request(plan)
    requests += after_appends
    requests += _spare_rows(plan)
    requests += _delete_requests(plan)
    if plan.sort is not None:
        # No column bounds: whole rows move, so free-column cells stay with their card.
        span = {"sheetId": plan.sheet_id, "startRowIndex": 1, "endRowIndex": plan.sort.end_row}
        specs = [
            {"dimensionIndex": column, "sortOrder": "ASCENDING" if ascending else "DESCENDING"}
            for column, ascending in plan.sort.specs
        ]
        requests.append({"sortRange": {"range": span, "sortSpecs": specs}})
    if plan.format_header:
        requests += _header_format(plan)
    return requests
