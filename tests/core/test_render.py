"""Plan -> batchUpdate requests: valid field names, minimal masks, safe order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import googleapiclient
import pytest

from app.core.model import Cell
from app.core.plan import CellChange, DeleteRow, Plan, UpdateRow
from app.core.render import cell_data, fields_mask, render
from tests.support.boardjson import board, card, policy
from tests.support.memsheet import MemSheet, sync

SCHEMAS: dict[str, Any] = json.loads(
    (Path(googleapiclient.__file__).parent / "discovery_cache/documents/sheets.v4.json").read_text()
)["schemas"]


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
    """Every key of `value` must be a property the Sheets API documents (recursively)."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    if schema.get("type") == "array":
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]")
    elif "properties" in schema:
        assert isinstance(value, dict), where
        for key, item in value.items():
            assert key in schema["properties"], f"unknown field {where}.{key}"
            _check(item, schema["properties"][key], f"{where}.{key}")
    elif "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in enum"


def _check_mask(mask: str, schema_name: str) -> None:
    for path in mask.split(","):
        schema = SCHEMAS[schema_name]
        for part in path.split("."):
            prop = schema["properties"][part]
            schema = SCHEMAS.get(prop.get("$ref", ""), prop)


def _first_sync_requests() -> list[dict[str, Any]]:
    sheet = MemSheet(header=["Notes"])
    data = board(
        [
            card("c1", "=HYPERLINK(1)", due="2026-02-01T10:00:00.000Z"),
            card("c0", idLabels=["lb1"], due="2026-01-01T10:00:00.000Z"),
        ]
    )
    data["cards"][0]["customFieldItems"] = [{"idCustomField": "cf3", "value": {"checked": "true"}}]
    from app.core.decode import board_from_json
    from app.core.engine import plan
    from app.core.mapping import board_rows

    return render(plan(None, board_rows(board_from_json(data), policy()), sheet.tab(), policy()))


def test_every_request_uses_documented_field_names_and_masks() -> None:
    requests = _first_sync_requests()
    kinds = [next(iter(r)) for r in requests]
    assert kinds[-2:] == ["updateSheetProperties", "repeatCell"] and "sortRange" in kinds
    for request in requests:
        _check(request, SCHEMAS["Request"], "Request")
        (body,) = request.values()
        if "fields" in body:
            target = {"updateSheetProperties": "SheetProperties"}.get(next(iter(request)), "CellData")
            _check_mask(body["fields"], target)


def test_card_text_is_never_a_formula() -> None:
    (append,) = [r["appendCells"] for r in _first_sync_requests() if "appendCells" in r]
    values = [v for row in append["rows"] for v in row["values"]]
    assert {"userEnteredValue": {"stringValue": "=HYPERLINK(1)"}} in values
    assert not any("formulaValue" in v.get("userEnteredValue", {}) for v in values)
    assert (
        append["fields"]
        == "userEnteredValue,userEnteredFormat.numberFormat,userEnteredFormat.textFormat.link,dataValidation"
    )


def test_cell_data_carries_only_what_the_cell_needs() -> None:
    assert cell_data(Cell(None)) == {}
    assert cell_data(Cell(True, checkbox=True)) == {
        "userEnteredValue": {"boolValue": True},
        "dataValidation": {"condition": {"type": "BOOLEAN"}},
    }
    assert cell_data(Cell(46000.5, number_format="DATE_TIME"))["userEnteredFormat"] == {
        "numberFormat": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    }
    assert cell_data(Cell("u", link="u"))["userEnteredFormat"] == {"textFormat": {"link": {"uri": "u"}}}
    assert fields_mask([Cell("plain")]) == "userEnteredValue"


def test_updates_never_span_a_free_column_and_deletes_go_bottom_up() -> None:
    changes = tuple(CellChange(c, None, Cell(str(c))) for c in (5, 1, 2))
    result = Plan(
        sheet_id=7,
        column_count=26,
        updates=(UpdateRow(3, "k", changes),),
        deletes=(DeleteRow(9, "a", "deleted"), DeleteRow(8, "b", "deleted"), DeleteRow(4, "c", "deleted")),
    )
    requests = render(result)
    updates = [r["updateCells"] for r in requests if "updateCells" in r]
    assert [(u["start"]["columnIndex"], len(u["rows"][0]["values"])) for u in updates] == [(1, 2), (5, 1)]
    spans = [
        (r["deleteDimension"]["range"]["startIndex"], r["deleteDimension"]["range"]["endIndex"])
        for r in requests[2:]
    ]
    assert spans == [(8, 10), (4, 5)]


def test_an_empty_plan_renders_no_request() -> None:
    assert render(Plan(sheet_id=1, column_count=26)) == []


@pytest.mark.parametrize("columns", [3, 30])
def test_the_grid_grows_before_writing_beyond_it(columns: int) -> None:
    sheet = MemSheet(header=[f"free {i}" for i in range(columns)], column_count=columns)
    sync(sheet, board([card("c1")]), None, policy())
    assert sheet.tab().headers[columns] == "Date" and sheet.value(1, columns + 1) == "card c1"
