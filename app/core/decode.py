"""Sheet CellData (as spreadsheets.get returns it) -> decoded values and a SheetTab."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.model import Formula, SheetTab, SheetValue

COLUMN_TAG_KEY = "boardsheet.column"


def decode_cell(data: Mapping[str, Any]) -> SheetValue:
    """The value a user entered in a cell; formulas come back as Formula, never as text."""
    entered = data.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return Formula(str(entered["formulaValue"]))
    if "stringValue" in entered:
        text = str(entered["stringValue"])
        return text or None
    if "boolValue" in entered:
        return bool(entered["boolValue"])
    if "numberValue" in entered:
        return float(entered["numberValue"])
    # errorValue and unknown kinds: show what the user sees
    return str(data.get("formattedValue", "")) or None


def header_text(data: Mapping[str, Any]) -> str:
    """A header cell as text (a number or formula header counts by what it shows)."""
    value = decode_cell(data)
    if isinstance(value, str):
        return value.strip()
    return str(data.get("formattedValue", "")).strip()


def column_tag(metadata: Sequence[Mapping[str, Any]]) -> str | None:
    """The boardsheet.column developer metadata value of one column, if any."""
    for item in metadata:
        if item.get("metadataKey") == COLUMN_TAG_KEY:
            return str(item.get("metadataValue", ""))
    return None


def tab_from_cells(
    sheet_id: int,
    rows: Sequence[Sequence[Mapping[str, Any]]],
    column_metadata: Sequence[Sequence[Mapping[str, Any]]] = (),
    *,
    row_count: int = 1000,
    column_count: int = 26,
    frozen_rows: int = 0,
) -> SheetTab:
    """Decode a tab's grid data (row 0 is the header row) into a SheetTab."""
    headers = tuple(header_text(cell) for cell in rows[0]) if rows else ()
    tags = tuple(column_tag(meta) for meta in column_metadata)
    return SheetTab(
        sheet_id=sheet_id,
        headers=headers,
        column_tags=tags,
        rows=tuple(tuple(decode_cell(cell) for cell in row) for row in rows[1:]),
        row_count=row_count,
        column_count=column_count,
        frozen_rows=frozen_rows,
    )


def tab_from_snapshot(snapshot: Any) -> SheetTab:
    """A SheetTab from a connectors.sheets.client.TabSnapshot (duck-typed: the core imports no connector)."""
    return tab_from_cells(
        snapshot.sheet_id,
        snapshot.rows,
        snapshot.column_metadata,
        row_count=snapshot.row_count,
        column_count=snapshot.column_count,
        frozen_rows=snapshot.frozen_rows,
    )
