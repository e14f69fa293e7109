"""Row anchors and the write's row guard (app.core.anchors), and rows kept as ours by their anchor."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.core.anchors import ROW_ANCHOR_KEY, Anchor, anchors_of, hold_unanchored_deletes, row_guard
from app.core.model import Cell, SheetTab
from app.core.plan import AppendRow, CellChange, DeleteRow, Plan, SortRows, UpdateRow
from tests.support.boardjson import board, card
from tests.support.planning import plan_of, synced

SHEET = 7


def _tab(keys: list[str | None]) -> SheetTab:
    """A tab with a header and one row per key (column 1 is the key column, column 0 a free note)."""
    rows = tuple(("note", key) if key else ("note only",) for key in keys)
    return SheetTab(SHEET, ("Notes", "Card ID"), (None, "id"), rows)


def _kinds(requests: list[dict[str, Any]]) -> list[str]:
    return [next(iter(r)) for r in requests]


def _update(row: int, key: str) -> UpdateRow:
    return UpdateRow(row, key, (CellChange(1, None, Cell("x")),))


def _base(*keys: str) -> dict[str, dict[str, Any]]:
    return {key: {} for key in keys}


def test_anchors_are_read_from_row_metadata() -> None:
    metadata = [
        [],
        [{"metadataId": 11, "metadataKey": ROW_ANCHOR_KEY, "metadataValue": "a"}],
        [{"metadataKey": "x"}],
    ]
    assert anchors_of(metadata) == [Anchor(1, 11, "a")]


def test_a_write_checks_the_rows_it_addresses_and_the_last_anchored_row() -> None:
    tab = _tab(["a", "b", "c", "d", "e"])
    anchors = [Anchor(row, 100 + row, key) for row, key in enumerate("abcde", start=1)]
    plan = Plan(
        SHEET, 2, updates=(_update(3, "c"),), deletes=(DeleteRow(2, "b", "deleted"),), base=_base("a")
    )
    guard = row_guard(tab, 1, anchors, plan)
    # Rows 2 and 3 see themselves move; row 5 sees any row inserted or deleted above it.
    assert guard.checks == 3
    lookups = [
        r["deleteDeveloperMetadata"]["dataFilter"]["developerMetadataLookup"] for r in guard.before[0::2]
    ]
    assert [(lk["metadataId"], lk["metadataLocation"]["dimensionRange"]["startIndex"]) for lk in lookups] == [
        (102, 2),
        (103, 3),
        (105, 5),
    ]
    assert all(lk["locationMatchingStrategy"] == "EXACT_LOCATION" for lk in lookups)
    created = [r["createDeveloperMetadata"]["developerMetadata"] for r in guard.before[1::2]]
    assert [(m["metadataId"], m["metadataValue"]) for m in created] == [(102, "b"), (103, "c"), (105, "e")]


def test_stale_anchors_go_and_unanchored_card_rows_get_one_where_read() -> None:
    tab = _tab(["a", None, "b", "c"])
    anchors = [Anchor(1, 5, "b"), Anchor(3, 6, "b")]  # row 1 names "b" but shows "a": stale
    plan = Plan(SHEET, 2, deletes=(DeleteRow(4, "c", "deleted"),), base=_base("a", "b"))
    guard = row_guard(tab, 1, anchors, plan)
    assert guard.before[0] == {
        "deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {"metadataId": 5}}}
    }
    assert guard.checks == 1  # row 4 has no anchor; row 3, the last anchored one, sees rows move above it
    assert _kinds(guard.before[1:3]) == ["deleteDeveloperMetadata", "createDeveloperMetadata"]
    tags = [r["createDeveloperMetadata"]["developerMetadata"] for r in guard.before[3:]]
    assert [(t["location"]["dimensionRange"]["startIndex"], t["metadataValue"]) for t in tags] == [(1, "a")]


def test_appended_rows_are_anchored_where_append_cells_puts_them() -> None:
    tab = _tab(["a", None, "b"])  # grid rows 1..3; row 2 holds a stakeholder's note only
    plan = Plan(
        SHEET,
        2,
        deletes=(DeleteRow(3, "b", "deleted"),),
        appends=(AppendRow("n1", ()), AppendRow("n2", ())),
        base=_base("a", "n1", "n2"),
    )
    guard = row_guard(tab, 1, [Anchor(1, 9, "a")], plan)
    starts = [
        r["createDeveloperMetadata"]["developerMetadata"]["location"]["dimensionRange"]["startIndex"]
        for r in guard.appended
    ]
    # After row 3, still there: render sends the deletes after the appends (so the grid always keeps a
    # non-frozen row), and deleting row 3 then moves both rows, anchors included, up to 3 and 4.
    assert starts == [4, 5]
    assert guard.checks == 1  # the last anchored row (1): rows inserted or deleted above it are seen


def test_an_anchored_row_stays_ours_after_the_base_forgot_its_card() -> None:
    cards = [card("c1"), card("c2"), card("c3")]
    sheet, base, _ = synced(cards)
    forgotten = {key: value for key, value in base.items() if key != "c2"}
    data = board([card("c1"), card("c3")])  # c2 deleted in Trello, and the base no longer knows it
    assert plan_of(forgotten, data, sheet).deletes == ()  # before: the row stayed for good
    anchored = replace(sheet.tab(), anchored=frozenset({"c1", "c2", "c3"}))
    from app.core.decode import board_from_json
    from app.core.engine import plan as make_plan
    from app.core.mapping import board_rows
    from tests.support.boardjson import policy

    pol = policy()
    planned = make_plan(forgotten, board_rows(board_from_json(data), pol), anchored, pol)
    assert [d.key for d in planned.deletes] == ["c2"]


def test_a_plan_that_only_appends_or_sorts_checks_nothing() -> None:
    tab = _tab(["a", "b"])
    plan = Plan(SHEET, 2, appends=(AppendRow("n", ()),), base=_base("a", "b", "n"))
    guard = row_guard(tab, 1, [Anchor(1, 1, "a"), Anchor(2, 2, "b")], plan)
    assert (guard.checks, guard.before) == (0, [])


def test_removals_of_unanchored_rows_wait_and_their_cards_stay_in_the_base() -> None:
    tab = _tab(["a", "b", "c"])
    sort = SortRows(((1, True),), 3)  # the rows once "b" and "c" are gone
    plan = Plan(
        SHEET,
        2,
        deletes=(DeleteRow(3, "c", "deleted"), DeleteRow(2, "b", "archived")),
        sort=sort,
        base=_base("a"),
    )
    held = hold_unanchored_deletes(
        plan, tab, 1, [Anchor(1, 1, "a"), Anchor(3, 3, "c")], {"b": {"Title": "B"}}
    )
    assert [d.key for d in held.deletes] == ["c"]  # anchored: removed, checked
    assert held.base == {"a": {}, "b": {"Title": "B"}}  # "b" waits, still known
    assert held.sort is None  # sorted by the next run, once the anchors written now have been read back
    assert hold_unanchored_deletes(held, tab, 1, [Anchor(1, 1, "a"), Anchor(3, 3, "c")], None) == held
