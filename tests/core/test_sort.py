"""Row order rules: what the default sort is, and how values compare (as Sheets' sortRange does)."""

from __future__ import annotations

from app.core.model import Column, Formula
from app.core.sort import compare_values, is_sorted, sort_specs

OWNED = (Column("Title", "name"), Column("When", "due"), Column("Pos", "position"), Column("Card ID", "id"))
INDEX = {"Title": 3, "When": 1, "Pos": 5, "Card ID": 0}


def test_default_is_the_first_date_column_then_position_then_key() -> None:
    assert sort_specs((), OWNED, INDEX, ("When",), "Card ID") == ((1, True), (5, True), (0, True))
    assert sort_specs((), OWNED[:2] + OWNED[3:], INDEX, (), "Card ID") == ((0, True),)


def test_sort_by_accepts_headers_fields_and_descending() -> None:
    assert sort_specs(("-Title", "due"), OWNED, INDEX, ("When",), "Card ID") == (
        (3, False),
        (1, True),
        (0, True),
    )
    assert sort_specs(("id",), OWNED, INDEX, (), "Card ID") == ((0, True),)
    assert sort_specs(("nothing",), OWNED, INDEX, (), "Card ID") == ((0, True),)


def test_blanks_go_last_in_both_directions() -> None:
    assert compare_values(None, 1.0, True) == 1 and compare_values(None, 1.0, False) == 1
    assert compare_values(2.0, 1.0, False) == -1 and compare_values(2.0, 1.0, True) == 1
    assert compare_values(None, None, True) == 0


def test_numbers_before_text_before_booleans_and_text_ignores_case() -> None:
    assert compare_values(5.0, "a", True) == -1 and compare_values("a", True, True) == -1
    assert compare_values("abc", "ABC", True) == 0 and compare_values("b", "A", True) == 1
    assert compare_values(Formula("=A1"), "=a1", True) == 0


def test_is_sorted_checks_neighbours() -> None:
    specs = ((0, True), (1, False))
    assert is_sorted([(1.0, "b"), (1.0, "a"), (2.0, None), (None, "z")], specs)
    assert not is_sorted([(1.0, "a"), (1.0, "b")], specs)
    assert is_sorted([], specs)
