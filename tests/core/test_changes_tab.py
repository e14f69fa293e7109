"""Change-log records -> appendCells on the Changes tab: typed cells, text never a formula, header once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import googleapiclient

from app.core.changes_tab import HEADERS, changes_requests
from app.core.records import ChangeRecord

SCHEMAS: dict[str, Any] = json.loads(
    (Path(googleapiclient.__file__).parent / "discovery_cache/documents/sheets.v4.json").read_text()
)["schemas"]


def change(**overrides: Any) -> ChangeRecord:
    """A card rename by Alice at 2026-03-29 01:30 UTC (03:30 in Paris, just after the DST switch)."""
    values: dict[str, Any] = {
        "at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        "pair": "calendar",
        "board_id": "b1",
        "action_id": "a1",
        "action_type": "updateCard",
        "member": "Alice Martin",
        "card_id": "c1",
        "card_name": "Launch post",
        "field": "name",
        "before": "Draft",
        "after": "Launch post",
    }
    return ChangeRecord(**{**values, **overrides})


def append_rows(requests: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows of the single appendCells request."""
    (append,) = [r["appendCells"] for r in requests if "appendCells" in r]
    return [row["values"] for row in append["rows"]]


def valid_mask(mask: str) -> bool:
    """Every path of a CellData field mask names a documented field."""
    for path in mask.split(","):
        schema = SCHEMAS["CellData"]
        for part in path.split("."):
            properties = schema.get("properties", {})
            if part not in properties:
                return False
            prop = properties[part]
            schema = SCHEMAS.get(prop.get("$ref", ""), prop)
    return True


def test_an_existing_tab_with_a_header_gets_one_typed_row_per_change() -> None:
    requests = changes_requests(
        [change()], title="Changes", timezone="Europe/Paris", sheet_id=42, has_header=True
    )
    assert [next(iter(r)) for r in requests] == ["appendCells"]
    assert requests[0]["appendCells"]["sheetId"] == 42
    (row,) = append_rows(requests)
    when, who, card, field, before, after = row
    # 03:30 in Paris (CEST, UTC+2 since 01:00 UTC): the serial counts local days since 1899-12-30.
    assert when["userEnteredValue"]["numberValue"] == (
        (datetime(2026, 3, 29, 3, 30) - datetime(1899, 12, 30)).total_seconds() / 86400
    )
    assert when["userEnteredFormat"]["numberFormat"]["type"] == "DATE_TIME"
    assert who["userEnteredValue"] == {"stringValue": "Alice Martin"}
    assert card["userEnteredValue"] == {"stringValue": "Launch post"}
    assert card["userEnteredFormat"]["textFormat"]["link"]["uri"] == "https://trello.com/c/c1"
    assert field["userEnteredValue"] == {"stringValue": "name"}
    assert (before["userEnteredValue"], after["userEnteredValue"]) == (
        {"stringValue": "Draft"},
        {"stringValue": "Launch post"},
    )
    assert valid_mask(requests[0]["appendCells"]["fields"])


def test_formula_looking_text_stays_text() -> None:
    sneaky = change(card_name='=IMPORTXML("http://x","//a")', member="+cmd", before="=1+1", after="@x")
    rows = append_rows(
        changes_requests([sneaky], title="Changes", timezone="UTC", sheet_id=1, has_header=True)
    )
    texts = [cell["userEnteredValue"] for cell in rows[0][1:]]
    assert all(set(value) == {"stringValue"} for value in texts)
    assert texts[1] == {"stringValue": '=IMPORTXML("http://x","//a")'}
    assert texts[3] == {"stringValue": "=1+1"}


def test_a_missing_tab_is_added_with_the_chosen_id_and_a_bold_header() -> None:
    requests = changes_requests(
        [change(), change(before=None, after=None, field="closed")],
        title="Changes",
        timezone="UTC",
        sheet_id=None,
        has_header=False,
        new_id=4242,
    )
    assert [next(iter(r)) for r in requests] == ["addSheet", "appendCells"]
    properties = requests[0]["addSheet"]["properties"]
    assert properties["title"] == "Changes"
    assert properties["sheetId"] == 4242 == requests[1]["appendCells"]["sheetId"]
    assert properties["gridProperties"]["frozenRowCount"] == 1
    header, _first, second = append_rows(requests)
    assert [cell["userEnteredValue"]["stringValue"] for cell in header] == list(HEADERS)
    assert all(cell["userEnteredFormat"]["textFormat"]["bold"] for cell in header)
    assert second[4:] == [{}, {}]  # no before/after: empty cells, not the text "None"
    mask = requests[1]["appendCells"]["fields"]
    assert "userEnteredFormat.textFormat.bold" in mask.split(",") and valid_mask(mask)


def test_an_existing_empty_tab_gets_the_header_on_first_use_only() -> None:
    first = changes_requests([change()], title="Changes", timezone="UTC", sheet_id=7, has_header=False)
    later = changes_requests([change()], title="Changes", timezone="UTC", sheet_id=7, has_header=True)
    assert len(append_rows(first)) == 2 and len(append_rows(later)) == 1


def test_nothing_to_add_on_an_existing_tab_means_no_request() -> None:
    assert changes_requests([], title="Changes", timezone="UTC", sheet_id=7, has_header=True) == []
    assert changes_requests([], title="Changes", timezone="UTC", sheet_id=7, has_header=False) == []
