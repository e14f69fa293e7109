"""Tab snapshots (pure): the cell values a run read, their digest, and the plan that writes them back.

A snapshot keeps every cell's userEnteredValue (owned and free columns, header row included), so a
restore writes back formulas as formulas and numbers as numbers. The shape of a CellData and of the
updateCells request follow the Sheets API reference
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData,
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#UpdateCellsRequest).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.render import PATTERNS
from app.core.wording import serial_text

__all__ = [
    "MASK",
    "CellEdit",
    "RestorePlan",
    "column_formats",
    "digest",
    "restore_plan",
    "shown",
    "snapshot_document",
]

MASK = "userEnteredValue,userEnteredFormat.numberFormat"
Value = dict[str, Any] | None  # a cell's userEnteredValue, None when the cell is empty
Request = dict[str, Any]


def snapshot_document(
    sheet_id: int, title: str, rows: Sequence[Sequence[Mapping[str, Any]]]
) -> dict[str, Any]:
    """{"sheet_id", "title", "rows": [[userEnteredValue | None]], "formats": [[row, column, numberFormat]]}
    from CellData rows (row 0 = header). `formats` holds each number cell's own numberFormat when the read
    brought formats: a date-only due among timed ones comes back as a date, not in its column's format."""
    values = [[_entered(cell) for cell in row] for row in rows]
    formats = [
        [r, c, dict(found)]
        for r, row in enumerate(rows)
        for c, cell in enumerate(row)
        if (found := (cell.get("userEnteredFormat") or {}).get("numberFormat"))
        and "numberValue" in (cell.get("userEnteredValue") or {})
    ]
    document = {
        "sheet_id": sheet_id,
        "title": title,
        "rows": [_trimmed(row) for row in _trimmed_rows(values)],
    }
    return document | ({"formats": formats} if formats else {})


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the document's rows: equal cell values, equal digest, whatever the tab's title."""
    text = json.dumps(document["rows"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


DATE_TYPES = ("DATE", "DATE_TIME")  # numberFormat types whose numbers are date serials


def shown(value: Value, number_format: Mapping[str, Any] | None = None) -> str:
    """A cell value as plain text for people: the formula, the number (a date when the column's
    numberFormat is a date's), or the string."""
    if not value:
        return ""
    kind = (number_format or {}).get("type")
    if isinstance(value.get("numberValue"), int | float) and kind in DATE_TYPES:
        return serial_text(float(value["numberValue"]), str(kind))
    for key in ("formulaValue", "stringValue", "numberValue", "boolValue", "errorValue"):
        if key in value:
            return str(value[key]).upper() if key == "boolValue" else str(value[key])
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class CellEdit:
    """One cell a restore changes: 0-based row (0 = header) and column, the value now and the one back,
    each with the numberFormat it shows in (the one written back for `back`), so people read what the
    sheet shows: a date-only cell as 2026-12-12, not in its column's timed format."""

    row: int
    column: int
    now: Value
    back: Value
    now_format: dict[str, Any] | None = None
    back_format: dict[str, Any] | None = None

    def now_text(self) -> str:
        """The cell's value now, as the sheet shows it."""
        return shown(self.now, self.now_format)

    def back_text(self) -> str:
        """The cell's value once restored, as the sheet will show it."""
        return shown(self.back, self.back_format)


@dataclass(frozen=True)
class RestorePlan:
    """What a restore writes: the edited cells and the requests of its ONE batchUpdate (none if equal)."""

    edits: tuple[CellEdit, ...]
    requests: tuple[Request, ...]
    rows_now: int
    rows_back: int


def column_formats(rows: Sequence[Sequence[Mapping[str, Any]]]) -> dict[int, dict[str, Any]]:
    """Each column's most common numberFormat among its number cells below the header (CellData rows
    read with userEnteredFormat), so restored numbers show as dates again where the column shows dates."""
    seen: dict[int, Counter[str]] = {}
    for row in rows[1:]:
        for column, cell in enumerate(row):
            found = cell.get("userEnteredFormat", {}).get("numberFormat")
            if found and "numberValue" in cell.get("userEnteredValue", {}):
                seen.setdefault(column, Counter())[json.dumps(found, sort_keys=True)] += 1
    return {column: json.loads(counts.most_common(1)[0][0]) for column, counts in seen.items()}


def restore_plan(
    current: Mapping[str, Any],
    target: Mapping[str, Any],
    *,
    row_count: int,
    column_count: int,
    formats: Mapping[int, dict[str, Any]] | None = None,
) -> RestorePlan:
    """The plan that makes the tab's values (`current` document) equal `target`'s, rows in their order.

    The grid grows when the target is larger (appendDimension); rows and columns past the target are
    cleared, not deleted, so the tab's other properties (column tags, widths) stay. A number gets its own
    numberFormat as the snapshot kept it, else its column's from `formats` (see column_formats: deleted
    rows took their formats along); in boardsheet's own date formats, date-only or with a time as the
    value says (see _date_shape).
    """
    now, back = current["rows"], target["rows"]
    height = max(len(now), len(back))
    width = max((len(row) for row in [*now, *back]), default=0)
    shapes = formats or {}
    own_now, own_back = _own_formats(current), _own_formats(target)

    def edit(r: int, c: int) -> CellEdit:
        was, then = _at(now, r, c), _at(back, r, c)
        shown_now = _number_format(was, own_now.get((r, c)) or shapes.get(c))
        return CellEdit(
            r, c, was, then, shown_now, _number_format(then, own_back.get((r, c)) or shapes.get(c))
        )

    edits = tuple(
        edit(r, c) for r in range(height) for c in range(width) if _at(now, r, c) != _at(back, r, c)
    )
    if not edits:
        return RestorePlan((), (), len(now), len(back))
    sheet_id = int(current["sheet_id"])
    requests = _grow(sheet_id, "ROWS", height - row_count) + _grow(sheet_id, "COLUMNS", width - column_count)
    rows = [
        {"values": [_cell(_at(back, r, c), own_back.get((r, c)) or shapes.get(c)) for c in range(width)]}
        for r in range(height)
    ]
    span = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": height}
    span |= {"startColumnIndex": 0, "endColumnIndex": width}
    requests.append({"updateCells": {"range": span, "rows": rows, "fields": MASK}})
    return RestorePlan(edits, tuple(requests), len(now), len(back))


def _grow(sheet_id: int, dimension: str, missing: int) -> list[Request]:
    """An appendDimension adding `missing` rows or columns, none when the grid is big enough."""
    if missing <= 0:
        return []
    return [{"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": missing}}]


def _own_formats(document: Mapping[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    """The document's number cells' own numberFormats by (row, column) (none in older snapshots)."""
    return {(int(r), int(c)): dict(found) for r, c, found in document.get("formats") or ()}


def _number_format(value: Value, number_format: dict[str, Any] | None) -> dict[str, Any] | None:
    """The numberFormat a number `value` is written (so shown) in; None for any other value."""
    if value is None or number_format is None or "numberValue" not in value:
        return None
    return _date_shape(float(value["numberValue"]), number_format)


def _cell(value: Value, number_format: dict[str, Any] | None) -> dict[str, Any]:
    """A CellData writing `value` (an empty one clears the cell under MASK), numbers in `number_format`."""
    if value is None:
        return {}
    shape = _number_format(value, number_format)
    if shape is not None:
        return {"userEnteredValue": value, "userEnteredFormat": {"numberFormat": shape}}
    return {"userEnteredValue": value}


def _date_shape(serial: float, number_format: dict[str, Any]) -> dict[str, Any]:
    """In a column of boardsheet's date formats, a date at midnight is date-only and any other a date and
    time, as boardsheet writes them (mapping.date_cell); people's own formats are kept as they are."""
    ours = {pattern: kind for kind, pattern in PATTERNS.items()}
    if ours.get(str(number_format.get("pattern"))) != number_format.get("type"):
        return number_format
    kind = "DATE" if serial.is_integer() else "DATE_TIME"
    return {"type": kind, "pattern": PATTERNS[kind]}


def _at(rows: Sequence[Sequence[Value]], row: int, column: int) -> Value:
    """The value at (row, column), None outside the stored rows."""
    if row >= len(rows) or column >= len(rows[row]):
        return None
    return rows[row][column]


def _entered(cell: Mapping[str, Any]) -> Value:
    """A CellData's userEnteredValue (an empty string counts as empty)."""
    value = cell.get("userEnteredValue")
    if not value or value == {"stringValue": ""}:
        return None
    return dict(value)


def _trimmed(row: list[Value]) -> list[Value]:
    """The row without its trailing empty cells."""
    while row and row[-1] is None:
        row = row[:-1]
    return row


def _trimmed_rows(rows: list[list[Value]]) -> list[list[Value]]:
    """The rows without trailing all-empty rows."""
    while rows and not any(value is not None for value in rows[-1]):
        rows = rows[:-1]
    return rows
