"""A view tab's requests: the whole grid on a new tab, then only what differs; leftovers cleared."""

from __future__ import annotations

import copy
from datetime import date
from types import SimpleNamespace
from typing import Any

from app.core.decode import board_from_json
from app.core.views.cells import CELL_MASK
from app.core.views.month import COLUMN_WIDTH, COLUMNS, Grid, MonthSpec, month_grid
from app.core.views.sheet import PROTECTION_DESCRIPTION, SPARE_ROWS, ViewTab, grid_requests, view_tab
from tests.support.boardjson import board, card, policy

Cells = dict[tuple[int, int], dict[str, Any]]


class Tab:
    """A view tab in memory: applies the requests grid_requests makes, reads back like the connector."""

    def __init__(self) -> None:
        self.cells: Cells = {}
        self.heights: dict[int, int] = {}
        self.widths: dict[int, int] = {}
        self.frozen = 0
        self.rows, self.columns = 0, 0
        self.protected: list[dict[str, Any]] = []

    def apply(self, requests: list[dict[str, Any]]) -> None:
        for request in requests:
            ((kind, body),) = request.items()
            if kind == "addSheet":
                grid = body["properties"]["gridProperties"]
                self.rows, self.columns, self.frozen = (
                    grid["rowCount"],
                    grid["columnCount"],
                    grid["frozenRowCount"],
                )
            elif kind == "updateCells":
                assert body["fields"] == CELL_MASK
                start = body["start"]
                for c, value in enumerate(body["rows"][0]["values"]):
                    self.cells[(start["rowIndex"], start["columnIndex"] + c)] = copy.deepcopy(value)
            elif kind == "updateDimensionProperties":
                span, size = body["range"], body["properties"]["pixelSize"]
                sizes = self.heights if span["dimension"] == "ROWS" else self.widths
                for i in range(span["startIndex"], span["endIndex"]):
                    sizes[i] = size
            elif kind == "appendDimension":
                self.rows += body["length"] if body["dimension"] == "ROWS" else 0
            elif kind == "addProtectedRange":
                self.protected.append(body["protectedRange"])
            else:
                assert kind == "updateSheetProperties"
                self.frozen = body["properties"]["gridProperties"]["frozenRowCount"]

    def read(self) -> ViewTab:
        height = max((r for r, _ in self.cells), default=-1) + 1
        rows = [[self.cells.get((r, c), {}) for c in range(COLUMNS)] for r in range(height)]
        snapshot = SimpleNamespace(
            sheet_id=42,
            row_count=self.rows,
            column_count=self.columns,
            frozen_rows=self.frozen,
            rows=rows,
            row_properties=[{"pixelSize": self.heights.get(r, 21)} for r in range(self.rows)],
            column_properties=[{"pixelSize": self.widths.get(c, 100)} for c in range(self.columns)],
            protected_ranges=self.protected,
        )
        return view_tab(snapshot)


def grid(today: date = date(2027, 3, 10), name: str = "Launch") -> Grid:
    data = board_from_json(board([card("c1", name, due="2027-03-14T09:00:00.000Z")]))
    return month_grid(data, policy(), MonthSpec(tab="V", months=2, timezone="UTC"), today)


def settle(wanted: Grid, tab: Tab) -> None:
    tab.apply(grid_requests(wanted, None, title="V", new_id=42))


def test_a_new_tab_gets_the_whole_grid_then_nothing() -> None:
    wanted, tab = grid(), Tab()
    requests = grid_requests(wanted, None, title="Calendar view", new_id=42)
    assert requests[0]["addSheet"]["properties"] == {
        "sheetId": 42,
        "title": "Calendar view",
        "gridProperties": {"rowCount": len(wanted.rows) + SPARE_ROWS, "columnCount": 7, "frozenRowCount": 3},
    }
    tab.apply(requests)
    assert tab.widths == dict.fromkeys(range(COLUMNS), COLUMN_WIDTH)
    assert grid_requests(wanted, tab.read(), title="Calendar view", new_id=1) == []


def test_a_renamed_card_rewrites_only_its_day() -> None:
    tab = Tab()
    settle(grid(), tab)
    requests = grid_requests(grid(name="Launch day"), tab.read(), title="V", new_id=1)
    assert len(requests) == 1
    update = requests[0]["updateCells"]
    assert (update["start"]["rowIndex"], update["start"]["columnIndex"]) == (6, 6)  # Sunday the 14th
    assert update["rows"][0]["values"][0]["userEnteredValue"]["stringValue"] == "14\n09:00 Launch day"


def test_typing_into_the_grid_is_put_back() -> None:
    tab = Tab()
    settle(grid(), tab)
    tab.cells[(5, 2)] = {"userEnteredValue": {"stringValue": "my note"}}
    tab.cells[(200, 3)] = {"userEnteredValue": {"numberValue": 1}, "formattedValue": "1"}
    requests = grid_requests(grid(), tab.read(), title="V", new_id=1)
    starts = [
        (r["updateCells"]["start"]["rowIndex"], r["updateCells"]["start"]["columnIndex"]) for r in requests
    ]
    assert starts == [(5, 2), (200, 3)]
    assert requests[1]["updateCells"]["rows"] == [{"values": [{}]}]  # cleared under the mask
    tab.apply(requests)
    assert grid_requests(grid(), tab.read(), title="V", new_id=1) == []


def test_a_new_month_rolls_the_grid_and_clears_what_it_no_longer_covers() -> None:
    tab = Tab()
    settle(grid(date(2027, 3, 10)), tab)  # March (5 weeks) and April (5 weeks)
    later = grid(date(2027, 5, 3))  # May (6 weeks with Monday starts) and June
    tab.apply(grid_requests(later, tab.read(), title="V", new_id=1))
    assert grid_requests(later, tab.read(), title="V", new_id=1) == []
    assert all(r < len(later.rows) for r, _ in tab.cells if tab.cells[(r, _)])
    assert tab.rows >= len(later.rows)


def test_row_heights_follow_the_busiest_day() -> None:
    wanted, tab = grid(), Tab()
    settle(wanted, tab)
    tab.heights[7] = 300  # someone resized a week
    requests = grid_requests(wanted, tab.read(), title="V", new_id=1)
    assert requests == [
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 42, "dimension": "ROWS", "startIndex": 7, "endIndex": 8},
                "properties": {"pixelSize": wanted.heights[7]},
                "fields": "pixelSize",
            }
        }
    ]


def test_the_protection_hook_protects_once() -> None:
    wanted, tab = grid(), Tab()
    tab.apply(grid_requests(wanted, None, title="V", new_id=42, protect_for=["svc@example.iam"]))
    assert tab.protected == [
        {
            "range": {"sheetId": 42},
            "description": PROTECTION_DESCRIPTION,
            "warningOnly": False,
            "editors": {"users": ["svc@example.iam"]},
        }
    ]
    assert grid_requests(wanted, tab.read(), title="V", new_id=1, protect_for=["svc@example.iam"]) == []
