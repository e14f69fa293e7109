"""The layout guards: a header row pushed down, and a key column gone, are refused with the way out."""

from __future__ import annotations

import pytest

from app.core.layout_guards import check_header_row, check_key_column
from app.core.model import Column, SheetTab
from app.core.plan import HeaderFix
from app.errors import HeaderRowMovedError, KeyColumnMissingError

OWNED = (Column("Title", "name"), Column("Card ID", "id"))


def _tab(
    headers: tuple[str, ...], rows: tuple[tuple[object, ...], ...], tags: tuple[str | None, ...] = ()
) -> SheetTab:
    return SheetTab(sheet_id=1, headers=headers, column_tags=tags, rows=rows)  # type: ignore[arg-type]


def test_untagged_headers_pushed_down_by_a_title_are_found_and_refused() -> None:
    tab = _tab(("Plan", ""), (("", ""), ("Notes", "Title", "Card ID"), ("x", "Post", "c1")))
    with pytest.raises(HeaderRowMovedError, match="row 3") as refused:
        check_header_row(tab, OWNED)
    assert refused.value.above == ["Plan"]


def test_tagged_columns_must_hold_their_headers_to_count_as_the_header_row() -> None:
    # The words appear lower down, but not in the tagged columns: that is data, not a moved header.
    tab = _tab(("Plan", ""), (("Card ID", "Title"),), tags=("name", "id"))
    check_header_row(tab, OWNED)
    with pytest.raises(HeaderRowMovedError):
        check_header_row(_tab(("Plan", ""), (("Title", "Card ID"),), tags=("name", "id")), OWNED)


def test_a_header_row_with_one_owned_header_left_is_repaired_not_refused() -> None:
    check_header_row(_tab(("Renamed", "Card ID"), (("Title", "Card ID"),), tags=("name", "id")), OWNED)


def test_a_missing_key_column_is_refused_only_once_the_tab_was_synced() -> None:
    new_key = [HeaderFix(5, "Card ID", "id", write_header=True, tag=True)]
    check_key_column(None, new_key, "Card ID")
    check_key_column({"c1": {}}, [HeaderFix(5, "Card ID", "id", write_header=True, tag=False)], "Card ID")
    with pytest.raises(KeyColumnMissingError, match="'Card ID' is missing"):
        check_key_column({"c1": {}}, new_key, "Card ID")


def test_a_header_row_pushed_down_is_found_even_with_one_header_renamed() -> None:
    owned = (*OWNED, Column("Date", "due"))
    rows = (("Date", "Headline", "Card ID"), ("2026-01-01", "Post", "c1"))
    with pytest.raises(HeaderRowMovedError, match="row 2"):
        check_header_row(_tab(("Q2 content calendar",), rows, tags=("due", "name", "id")), owned)
