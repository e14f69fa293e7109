"""How `boardsheet plan` words a cell change: a change that reads the same says what really changes."""

from __future__ import annotations

from datetime import date

from app.cli.plan_table import _cell_words
from app.core.model import Cell
from app.core.plan import CellChange

SERIAL = float((date(2026, 12, 13) - date(1899, 12, 30)).days)  # Sheets' day count for 2026-12-13


def test_a_date_typed_as_text_says_it_becomes_a_date() -> None:
    change = CellChange(0, "2026-12-13", Cell(SERIAL, number_format="DATE"))
    assert _cell_words(change) == ("2026-12-13 (typed as text)", "2026-12-13 (as a date)")


def test_a_number_typed_as_text_and_a_format_change_are_told_apart() -> None:
    assert _cell_words(CellChange(0, "5", Cell(5.0))) == ("5 (typed as text)", "5 (as a number)")
    linked = CellChange(0, "Post", Cell("Post", link="https://trello.com/c/abc"))
    assert _cell_words(linked) == ("Post", "Post (its format, link or note)")


def test_a_real_change_is_shown_as_the_sheet_shows_it() -> None:
    change = CellChange(0, SERIAL - 1, Cell(SERIAL, number_format="DATE"))
    assert _cell_words(change) == ("2026-12-12", "2026-12-13")
