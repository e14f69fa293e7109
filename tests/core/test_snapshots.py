"""The pure side of snapshots: documents, digests, restore plans, and the TIME of restore --at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.core.snapshots import MASK, column_formats, digest, restore_plan, shown, snapshot_document
from app.core.when import parse_when

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def _text(value: str) -> dict[str, object]:
    return {"userEnteredValue": {"stringValue": value}}


def test_a_document_keeps_entered_values_and_its_digest_ignores_the_title() -> None:
    rows = [[_text("Title"), _text("Notes")], [_text("A"), {}, {}], [{}, _text("")]]
    document = snapshot_document(7, "Calendar", rows)
    assert document["rows"] == [[{"stringValue": "Title"}, {"stringValue": "Notes"}], [{"stringValue": "A"}]]
    assert digest(document) == digest(snapshot_document(7, "Renamed", rows))
    assert digest(document) != digest(snapshot_document(7, "Calendar", [[_text("Title")]]))


def test_a_restore_plan_grows_the_grid_rewrites_every_cell_and_clears_what_is_past_the_target() -> None:
    now = snapshot_document(3, "T", [[_text("H")], [_text("x"), _text("extra")], [_text("y")]])
    back = snapshot_document(
        3,
        "T",
        [[_text("H")], [_text("a")], [_text("b")], [_text("c"), {"userEnteredValue": {"numberValue": 2}}]],
    )
    plan = restore_plan(now, back, row_count=3, column_count=2, formats={1: {"type": "DATE"}})
    assert [(e.row, e.column) for e in plan.edits] == [(1, 0), (1, 1), (2, 0), (3, 0), (3, 1)]
    grow, update = plan.requests
    assert grow == {"appendDimension": {"sheetId": 3, "dimension": "ROWS", "length": 1}}
    body = update["updateCells"]
    assert (
        body["fields"] == MASK and body["range"]["endRowIndex"] == 4 and body["range"]["endColumnIndex"] == 2
    )
    assert body["rows"][1]["values"] == [{"userEnteredValue": {"stringValue": "a"}}, {}]
    assert body["rows"][3]["values"][1]["userEnteredFormat"] == {"numberFormat": {"type": "DATE"}}
    assert restore_plan(back, back, row_count=9, column_count=9).requests == ()


def test_column_formats_take_each_columns_most_common_number_format() -> None:
    date = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    number = {"userEnteredValue": {"numberValue": 1}, "userEnteredFormat": {"numberFormat": date}}
    rows = [[_text("Date")], [number], [number], [{"userEnteredValue": {"numberValue": 2}}]]
    assert column_formats(rows) == {0: date}


def test_a_number_keeps_its_own_format_a_date_only_due_among_timed_ones_stays_a_date() -> None:
    timed = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    day = {"type": "DATE", "pattern": "yyyy-mm-dd"}

    def serial(value: float, shape: dict[str, str]) -> dict[str, object]:
        return {"userEnteredValue": {"numberValue": value}, "userEnteredFormat": {"numberFormat": shape}}

    rows = [[_text("Date")], [serial(46000.5, timed)], [serial(46001, day)], [serial(46002.25, timed)]]
    back = snapshot_document(3, "T", rows)
    assert back["formats"] == [[1, 0, timed], [2, 0, day], [3, 0, timed]]
    assert digest(back) == digest(
        snapshot_document(3, "T", [[{**c, "userEnteredFormat": {}} for c in r] for r in rows])
    )
    wrecked = snapshot_document(3, "T", [[_text("Date")], [serial(46000.5, timed)]])
    plan = restore_plan(wrecked, back, row_count=2, column_count=1, formats=column_formats(rows))
    written = plan.requests[-1]["updateCells"]["rows"]
    assert [row["values"][0].get("userEnteredFormat") for row in written[1:]] == [
        {"numberFormat": timed},
        {"numberFormat": day},  # its own, not the column's most common
        {"numberFormat": timed},
    ]
    del back["formats"]  # a snapshot kept before formats were: the column's, shaped by the value
    plan = restore_plan(wrecked, back, row_count=2, column_count=1, formats=column_formats(rows))
    restored = plan.requests[-1]["updateCells"]["rows"]
    assert [row["values"][0]["userEnteredFormat"] for row in restored[1:]] == [
        {"numberFormat": timed},
        {"numberFormat": day},  # midnight in boardsheet's timed format: written date-only
        {"numberFormat": timed},
    ]


def test_restored_dates_in_boardsheets_formats_keep_date_only_and_timed_apart() -> None:
    """A date column shows date-only cards as 2026-12-06 and timed ones with their time (as boardsheet
    writes them): a restore must not give every restored date the column's most common format."""
    timed = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    day = {"type": "DATE", "pattern": "yyyy-mm-dd"}
    header = [_text("Date"), _text("Since")]
    back = snapshot_document(
        0,
        "T",
        [
            header,
            [{"userEnteredValue": {"numberValue": 46362.0}}, {"userEnteredValue": {"numberValue": 46362.0}}],
            [{"userEnteredValue": {"numberValue": 46362.75}}],
        ],
    )
    now = snapshot_document(0, "T", [header])
    people = {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"}  # someone's own format: kept as it is
    plan = restore_plan(now, back, row_count=9, column_count=9, formats={0: timed, 1: people})
    rows = plan.requests[0]["updateCells"]["rows"]
    assert rows[1]["values"][0]["userEnteredFormat"] == {"numberFormat": day}
    assert rows[2]["values"][0]["userEnteredFormat"] == {"numberFormat": timed}
    assert rows[1]["values"][1]["userEnteredFormat"] == {"numberFormat": people}
    plan = restore_plan(now, back, row_count=9, column_count=9, formats={0: day})
    rows = plan.requests[0]["updateCells"]["rows"]
    assert rows[2]["values"][0]["userEnteredFormat"] == {"numberFormat": timed}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h ago", NOW - timedelta(hours=2)),
        ("30 minutes ago", NOW - timedelta(minutes=30)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("yesterday 10:00", datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)),
        ("today", datetime(2026, 12, 1, 0, 0, tzinfo=PARIS)),
        ("2026-11-30T10:00", datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)),
        ("2026-11-30T10:00+00:00", datetime(2026, 11, 30, 10, 0, tzinfo=UTC)),
    ],
)
def test_restore_times(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, PARIS) == expected


@pytest.mark.parametrize("text", ["soon", "yesterday 25:00", "2 weeks ago"])
def test_unknown_times_are_refused_naming_the_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"ago|time of day"):
        parse_when(text, NOW, PARIS)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (
            {"numberValue": 46357.4375},
            {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"},
            "2026-12-01 10:30",
        ),
        ({"numberValue": 46357}, {"type": "DATE", "pattern": "yyyy-mm-dd"}, "2026-12-01"),
        ({"numberValue": 46357}, {"type": "NUMBER"}, "46357"),  # a number column stays a number
        ({"numberValue": 46357}, None, "46357"),
        ({"stringValue": "tbd"}, {"type": "DATE"}, "tbd"),
        ({"boolValue": True}, None, "TRUE"),
        (None, {"type": "DATE"}, ""),
    ],
)
def test_shown_reads_date_serials_as_dates_where_the_column_shows_dates(
    value: dict[str, Any] | None, number_format: dict[str, Any] | None, text: str
) -> None:
    assert shown(value, number_format) == text


def test_the_plan_shows_each_cell_as_the_sheet_shows_it_a_date_only_one_without_00_00() -> None:
    """`boardsheet restore` listed a restored date-only cell as "2026-12-12 00:00" (its column's most common
    format) though it writes it date-only: each edit shows the format written back, and the one it has now."""
    timed = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    day = {"type": "DATE", "pattern": "yyyy-mm-dd"}

    def serial(value: float, shape: dict[str, str] | None = None) -> dict[str, object]:
        return {"userEnteredValue": {"numberValue": value}} | (
            {"userEnteredFormat": {"numberFormat": shape}} if shape else {}
        )

    header = [_text("Date")]
    older = snapshot_document(0, "T", [header, [serial(46368.0)], [serial(46368.75)], [serial(46370.0)]])
    kept = snapshot_document(0, "T", [header, [serial(46368.0, day)], [serial(46368.75, timed)]])
    wrecked = [header, [serial(46369.0, day)], [_text("tbd")], [serial(46370.5, timed)]]
    now = snapshot_document(0, "T", wrecked)
    for back in (older, kept):  # the column's format shaped by the value, or the cell's own
        plan = restore_plan(now, back, row_count=9, column_count=9, formats={0: timed})
        listed = [(e.row, e.now_text(), e.back_text()) for e in plan.edits]
        assert listed[:2] == [(1, "2026-12-13", "2026-12-12"), (2, "tbd", "2026-12-12 18:00")]
    plan = restore_plan(now, older, row_count=9, column_count=9, formats={0: timed})
    assert [(e.now_text(), e.back_text()) for e in plan.edits][2] == ("2026-12-14 12:00", "2026-12-14")
