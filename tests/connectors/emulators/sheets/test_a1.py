"""A1 notation: parsing, resolving against a grid, and the normalised echo Google answers with."""

from __future__ import annotations

import pytest

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.errors import ApiError
from connectors.emulators.sheets.state import SheetsState, Spreadsheet


@pytest.fixture
def book() -> Spreadsheet:
    state = SheetsState(seed=1)
    sheets = [{"properties": {"title": t}} for t in ("Sheet1", "Bob's plan", "Q3 2024", "A1")]
    book = state.create({"sheets": sheets})
    book.sheets[2].resize(10, 10)
    return book


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters_round_trip(index: int, letters: str) -> None:
    assert a1.column_letters(index) == letters
    assert a1.column_index(letters) == index
    assert a1.column_index(letters.lower()) == index


@pytest.mark.parametrize(
    ("text", "sheet", "start", "end"),
    [
        ("A1", None, (0, 0), (1, 1)),
        ("Sheet1!B2:C3", "Sheet1", (1, 1), (3, 3)),
        ("'Bob''s plan'!A1:B2", "Bob's plan", (0, 0), (2, 2)),
        ("'Q3 2024'!A2:H", "Q3 2024", (1, 0), (None, 8)),
        ("Sheet1!A:A", "Sheet1", (None, 0), (None, 1)),
        ("Sheet1!1:2", "Sheet1", (0, None), (2, None)),
        ("Sheet1!B:D", "Sheet1", (None, 1), (None, 4)),
        ("Sheet1!A1:1", "Sheet1", (0, 0), (1, None)),
        ("🌵 plan 1!A:A", "🌵 plan 1", (None, 0), (None, 1)),
        ("Sheet1!D4:A1", "Sheet1", (0, 0), (4, 4)),
    ],
)
def test_parse(
    text: str, sheet: str | None, start: tuple[int | None, int | None], end: tuple[int | None, int | None]
) -> None:
    rng = a1.parse(text)
    assert rng.sheet == sheet
    assert (rng.start_row, rng.start_col) == start
    assert (rng.end_row, rng.end_col) == end


def test_a_quoted_name_alone_is_the_whole_sheet() -> None:
    rng = a1.parse("'Bob''s plan'")
    assert (rng.sheet, rng.whole_sheet) == ("Bob's plan", True)


@pytest.mark.parametrize(
    "text",
    ["", "!", "Sheet1!", "Sheet1!A1:", "Sheet1!1A", "'unclosed!A1", "'x'A1", "Sheet1!A0", "Sheet1!ABCD1"],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(a1.RangeParseError):
        a1.parse(text)


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        ("Sheet1", "Sheet1!A1:Z1000"),
        ("'Sheet1'", "Sheet1!A1:Z1000"),
        ("sheet1!A1", "Sheet1!A1"),
        ("A1:B2", "Sheet1!A1:B2"),
        ("'Sheet1'!A1:1", "Sheet1!A1:Z1"),
        ("Sheet1!B1:B", "Sheet1!B1:B1000"),
        ("Sheet1!A:A", "Sheet1!A1:A1000"),
        ("Sheet1!2:3", "Sheet1!A2:Z3"),
        ("Sheet1!D4:A1", "Sheet1!A1:D4"),
        ("Bob's plan", "'Bob''s plan'!A1:Z1000"),
        ("'Q3 2024'!A2:H", "'Q3 2024'!A2:H10"),
        ("'A1'!B2", "'A1'!B2"),
    ],
)
def test_resolved_ranges_echo_as_google_does(book: Spreadsheet, text: str, echo: str) -> None:
    sheet, bounds = book.resolve(text)
    assert a1.format_bounds(sheet.title, bounds) == echo


@pytest.mark.parametrize("text", ["Nope", "Nope!A1", "'Sheet1'!A1:", "Sheet1!!A1"])
def test_unknown_or_broken_ranges_are_google_400s(book: Spreadsheet, text: str) -> None:
    with pytest.raises(ApiError) as caught:
        book.resolve(text)
    assert (caught.value.code, caught.value.message) == (400, f"Unable to parse range: {text}")


def test_ranges_beyond_the_grid_are_refused(book: Spreadsheet) -> None:
    with pytest.raises(ApiError) as caught:
        book.resolve("'Q3 2024'!A1:K2")
    assert (
        caught.value.message == "Range ('Q3 2024'!A1:K2) exceeds grid limits. Max rows: 10, max columns: 10"
    )


def test_named_ranges_resolve(book: Spreadsheet) -> None:
    book.named_ranges.append(
        {"namedRangeId": "1", "name": "Header", "range": {"startRowIndex": 0, "endRowIndex": 1}}
    )
    sheet, bounds = book.resolve("Header")
    assert a1.format_bounds(sheet.title, bounds) == "Sheet1!A1:Z1"


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("My tab", "'My tab'"),
        ("it's", "'it''s'"),
        ("A1", "'A1'"),
        ("R1C1", "'R1C1'"),
        ("_x", "_x"),
    ],
)
def test_quote_sheet(title: str, quoted: str) -> None:
    assert a1.quote_sheet(title) == quoted
