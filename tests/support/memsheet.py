"""A tiny in-memory Sheets tab that applies batchUpdate request dicts (test helper, pure)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from app.core.decode import decode_cell, tab_from_cells
from app.core.model import SheetTab
from app.core.sort import compare_rows


def _set_path(target: dict[str, Any], source: dict[str, Any], path: str) -> None:
    """Apply one field-mask path: copy it from source, or clear it when source lacks it."""
    *parents, leaf = path.split(".")
    src: Any = source
    for part in parents:
        src = src.get(part, {}) if isinstance(src, dict) else {}
    dst = target
    for part in parents:
        dst = dst.setdefault(part, {})
    if isinstance(src, dict) and leaf in src:
        dst[leaf] = copy.deepcopy(src[leaf])
    else:
        dst.pop(leaf, None)


class MemSheet:
    """Rows of CellData dicts plus per-column developer metadata, like one tab of a spreadsheet."""

    def __init__(self, sheet_id: int = 7, header: list[str] | None = None, column_count: int = 26) -> None:
        self.sheet_id = sheet_id
        self.grid: list[list[dict[str, Any]]] = [
            [{"userEnteredValue": {"stringValue": h}} for h in header or []]
        ]
        self.meta: list[list[dict[str, Any]]] = [[] for _ in range(column_count)]
        self.column_count = column_count
        self.frozen_rows = 0
        self.bold_header = False

    # ---- reading
    def tab(self) -> SheetTab:
        """The tab as the connector would decode it (trailing empty rows trimmed)."""
        rows = [list(r) for r in self.grid]
        while len(rows) > 1 and not any(c.get("userEnteredValue") for c in rows[-1]):
            rows.pop()
        return tab_from_cells(
            self.sheet_id, rows, self.meta, column_count=self.column_count, frozen_rows=self.frozen_rows
        )

    def value(self, row: int, column: int) -> Any:
        """The decoded value at a grid position."""
        cells = self.grid[row] if row < len(self.grid) else []
        return decode_cell(cells[column]) if column < len(cells) else None

    def set(self, row: int, column: int, cell: dict[str, Any]) -> None:
        """Write one CellData, growing the grid (as a stakeholder typing would)."""
        while len(self.grid) <= row:
            self.grid.append([])
        line = self.grid[row]
        while len(line) <= column:
            line.append({})
        line[column] = cell

    # ---- writing
    def batch_update(self, requests: list[dict[str, Any]]) -> None:
        """Apply every request in order, like one atomic spreadsheets.batchUpdate."""
        for request in requests:
            ((kind, body),) = request.items()
            getattr(self, "_" + kind)(body)

    def _appendDimension(self, body: dict[str, Any]) -> None:
        assert body["dimension"] == "COLUMNS" and body["sheetId"] == self.sheet_id
        self.column_count += body["length"]
        self.meta += [[] for _ in range(body["length"])]

    def _updateCells(self, body: dict[str, Any]) -> None:
        start = body["start"]
        assert start["sheetId"] == self.sheet_id
        for r, row in enumerate(body["rows"]):
            for c, data in enumerate(row["values"]):
                assert start["columnIndex"] + c < self.column_count, "write outside the grid"
                self.set(
                    start["rowIndex"] + r, start["columnIndex"] + c, self._masked(r, c, start, data, body)
                )

    def _masked(
        self, r: int, c: int, start: dict[str, Any], data: dict[str, Any], body: dict[str, Any]
    ) -> Any:
        row, column = start["rowIndex"] + r, start["columnIndex"] + c
        line = self.grid[row] if row < len(self.grid) else []
        cell = copy.deepcopy(line[column]) if column < len(line) else {}
        for path in body["fields"].split(","):
            _set_path(cell, data, path)
        return cell

    def _createDeveloperMetadata(self, body: dict[str, Any]) -> None:
        meta = body["developerMetadata"]
        span = meta["location"]["dimensionRange"]
        assert span["dimension"] == "COLUMNS" and span["endIndex"] == span["startIndex"] + 1
        self.meta[span["startIndex"]].append(
            {"metadataKey": meta["metadataKey"], "metadataValue": meta["metadataValue"]}
        )

    def _deleteDimension(self, body: dict[str, Any]) -> None:
        span = body["range"]
        assert span["dimension"] == "ROWS" and span["startIndex"] >= 1
        del self.grid[span["startIndex"] : span["endIndex"]]

    def _appendCells(self, body: dict[str, Any]) -> None:
        while len(self.grid) > 1 and not any(c.get("userEnteredValue") for c in self.grid[-1]):
            self.grid.pop()
        for row in body["rows"]:
            self.grid.append([])
            for c, data in enumerate(row["values"]):
                self.set(
                    len(self.grid) - 1,
                    c,
                    self._masked(0, c, {"rowIndex": len(self.grid) - 1, "columnIndex": 0}, data, body),
                )

    def _sortRange(self, body: dict[str, Any]) -> None:
        span = body["range"]
        assert "startColumnIndex" not in span and "endColumnIndex" not in span, "sort must move whole rows"
        specs = tuple((s["dimensionIndex"], s["sortOrder"] == "ASCENDING") for s in body["sortSpecs"])
        start, end = span["startRowIndex"], span["endRowIndex"]
        decoded = [(tuple(decode_cell(c) for c in row), row) for row in self.grid[start:end]]
        decoded.sort(key=functools.cmp_to_key(lambda a, b: compare_rows(a[0], b[0], specs)))
        self.grid[start:end] = [row for _, row in decoded]

    def _updateSheetProperties(self, body: dict[str, Any]) -> None:
        assert body["fields"] == "gridProperties.frozenRowCount"
        self.frozen_rows = body["properties"]["gridProperties"]["frozenRowCount"]

    def _repeatCell(self, body: dict[str, Any]) -> None:
        assert body["range"]["endRowIndex"] == 1
        self.bold_header = body["cell"]["userEnteredFormat"]["textFormat"]["bold"]


def sync(sheet: MemSheet, board_json: dict[str, Any], base: Any, policy: Any) -> Any:
    """One run against the in-memory sheet: map, plan, render, apply; returns the plan."""
    from app.core.decode import board_from_json
    from app.core.engine import plan
    from app.core.mapping import board_rows
    from app.core.render import render

    result = plan(base, board_rows(board_from_json(board_json), policy), sheet.tab(), policy)
    sheet.batch_update(render(result))
    return result
