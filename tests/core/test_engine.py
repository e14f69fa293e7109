"""Table tests for the planner: one case per situation a run meets."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core.model import Formula, Percent, Policy
from app.core.plan import DeleteRow, plan_from_json
from app.errors import DuplicateKeyError, EmptySideError, MassDeleteError
from tests.support.boardjson import COLUMNS, board, card, policy
from tests.support.memsheet import MemSheet, sync
from tests.support.planning import plan_of, synced

HEADERS = [c.header for c in COLUMNS] + ["Card ID"]
KEY = len(HEADERS) - 1


def _row_of(sheet: MemSheet, key: str) -> int:
    key_col = sheet.tab().headers.index("Card ID")
    (row,) = [r for r in range(1, len(sheet.grid)) if sheet.value(r, key_col) == key]
    return row


def test_first_sync_writes_headers_rows_and_formatting_after_free_columns() -> None:
    sheet, base, data = synced([card("c1", "=IMPORTXML(1)", due="2026-02-01T10:00:00.000Z"), card("c2")])
    tab = sheet.tab()
    assert tab.headers == ("Notes", *HEADERS)
    assert tab.column_tags == (
        None,
        "due",
        "name",
        "list",
        "custom:Channel",
        "custom:Budget",
        "custom:Ready",
        "labels",
        "url",
        "id",
        *([None] * 16),
    )
    assert sheet.frozen_rows == 1 and sheet.bold_header
    assert sheet.value(_row_of(sheet, "c1"), 2) == "=IMPORTXML(1)"
    assert set(base) == {"c1", "c2"}
    assert plan_of(base, data, sheet).empty


def test_unchanged_pair_plans_nothing_even_without_a_base() -> None:
    sheet, base, data = synced([card("c1"), card("c2")])
    assert plan_of(base, data, sheet).empty
    rebuilt = plan_of(None, data, sheet)  # a lost state store: no duplicates, no deletes
    assert rebuilt.empty and rebuilt.base == base


def test_a_rename_updates_exactly_one_cell() -> None:
    sheet, base, data = synced([card("c1"), card("c2")])
    data["cards"][1]["name"] = "Renamed"
    result = plan_of(base, data, sheet)
    (update,) = result.updates
    assert update.key == "c2"
    assert [(c.column, c.header, c.before, c.after.value) for c in update.changes] == [
        (2, "Title", "card c2", "Renamed")
    ]
    assert result.summary()["cells_changed"] == 1 and not result.appends and not result.deletes


def test_a_stakeholder_edit_of_an_owned_cell_is_reverted_and_flagged() -> None:
    sheet, base, data = synced([card("c1")])
    sheet.set(_row_of(sheet, "c1"), 2, {"userEnteredValue": {"formulaValue": "=NOW()"}})
    planned = plan_of(base, data, sheet)
    (update,) = planned.updates
    (change,) = update.changes
    assert change.before == Formula("=NOW()") and change.after.value == "card c1" and change.edited
    assert planned.summary()["edits_reverted"] == 1  # reported in the run's message, never silent


@pytest.mark.parametrize(
    ("edit", "reason", "pol"),
    [
        (lambda cards: cards.pop(0), "deleted", policy()),
        (lambda cards: cards[0].update(closed=True), "archived", policy()),
        (lambda cards: cards[0].update(idList="l2"), "filtered", policy(lists=("Drafting",))),
    ],
)
def test_rows_leave_when_cards_do(edit: Any, reason: str, pol: Policy) -> None:
    sheet, base, data = synced([card("c1"), card("c2"), card("c3")])
    edit(data["cards"])
    result = plan_of(base, data, sheet, pol)
    assert [(d.key, d.reason) for d in result.deletes] == [("c1", reason)]


def test_archived_cards_stay_under_keep() -> None:
    sheet, base, data = synced([card("c1"), card("c2")])
    data["cards"][0]["closed"] = True
    assert plan_of(base, data, sheet, policy(archived="keep")).empty


def test_free_column_cells_stay_with_their_card_through_deletes_appends_and_sorts() -> None:
    sheet, base, data = synced(
        [card("c1", due="2026-03-01T10:00:00.000Z"), card("c2", due="2026-03-02T10:00:00.000Z"), card("c3")]
    )
    for key in ("c1", "c2", "c3"):
        sheet.set(_row_of(sheet, key), 0, {"userEnteredValue": {"stringValue": f"note {key}"}})
    data["cards"][0]["due"] = "2026-03-09T10:00:00.000Z"  # now sorts after c2
    data["cards"].pop(2)
    data["cards"].append(card("c4", due="2026-03-01T08:00:00.000Z"))
    result = sync(sheet, data, base, policy())
    assert result.sort is not None
    order = [sheet.value(r, KEY + 1) for r in range(1, len(sheet.grid))]
    assert order == ["c4", "c2", "c1"]
    assert [sheet.value(_row_of(sheet, k), 0) for k in ("c1", "c2", "c4")] == ["note c1", "note c2", None]
    assert plan_of(result.base, data, sheet).empty


def test_a_renamed_header_is_restored_in_place() -> None:
    sheet, base, data = synced([card("c1")])
    sheet.set(0, 2, {"userEnteredValue": {"stringValue": "Headline"}})
    result = sync(sheet, data, base, policy())
    assert [(h.column, h.header, h.write_header, h.tag) for h in result.headers] == [
        (2, "Title", True, False)
    ]
    assert sheet.tab().headers == ("Notes", *HEADERS)
    assert plan_of(result.base, data, sheet).empty


def test_a_deleted_owned_column_comes_back_at_the_end() -> None:
    sheet, base, data = synced([card("c1")])
    for row in sheet.grid:  # a stakeholder deletes the Title column (its tag goes with it)
        del row[2]
    del sheet.meta[2]
    # the key column is now at KEY; a stakeholder's free cell sits right of it, with no header
    sheet.set(1, KEY + 1, {"userEnteredValue": {"stringValue": "free text"}})
    result = sync(sheet, data, base, policy())
    assert [(h.column, h.header) for h in result.headers] == [(KEY + 2, "Title")]
    assert sheet.value(1, KEY + 1) == "free text" and sheet.value(1, KEY + 2) == "card c1"
    assert plan_of(result.base, data, sheet).empty


def test_a_copied_row_is_refused_with_its_rows() -> None:
    sheet, base, data = synced([card("c1"), card("c2")])
    sheet.grid.append(list(sheet.grid[_row_of(sheet, "c1")]))
    with pytest.raises(DuplicateKeyError) as caught:
        plan_of(base, data, sheet)
    assert caught.value.rows == {"c1": [2, 4]}
    assert "c1 in rows 2, 4" in str(caught.value)


def test_empty_sides_are_refused_while_the_base_is_not() -> None:
    sheet, base, data = synced([card("c1")])
    with pytest.raises(EmptySideError) as trello:
        plan_of(base, board([]), sheet)
    assert trello.value.side == "trello"
    with pytest.raises(EmptySideError) as emptied:
        plan_of(base, data, MemSheet(header=HEADERS))
    assert emptied.value.side == "sheet" and emptied.value.base_rows == 1


def test_mass_deletes_are_held_unless_allowed() -> None:
    sheet, base, data = synced([card(f"c{i}") for i in range(8)])
    data["cards"] = data["cards"][:5]
    with pytest.raises(MassDeleteError) as caught:
        plan_of(base, data, sheet, policy(max_deletes=Percent(25)))
    assert caught.value.deletes == 3 and caught.value.limit == 2
    assert caught.value.keys == ["c7", "c6", "c5"] and len(caught.value.plan.deletes) == 3
    allowed = plan_of(base, data, sheet, policy(max_deletes=2, allow_mass_delete=True))
    assert [d.row for d in allowed.deletes] == [8, 7, 6]


def test_rows_without_a_key_are_left_alone() -> None:
    sheet, base, data = synced([card("c1")])
    sheet.set(5, 0, {"userEnteredValue": {"stringValue": "a stakeholder's own row"}})
    result = sync(sheet, data, base, policy())
    assert not result.deletes and not result.updates
    assert any(sheet.value(r, 0) == "a stakeholder's own row" for r in range(len(sheet.grid)))


@pytest.mark.parametrize("with_base", [True, False])
def test_rows_whose_key_is_not_a_card_of_ours_are_left_alone(with_base: bool) -> None:
    sheet, base, data = synced([card("c1")])
    key_col = sheet.tab().headers.index("Card ID")
    for row, (key, note) in enumerate([("n/a", "ours?"), ("-", "no"), ("-", "copied")], start=5):
        sheet.set(row, key_col, {"userEnteredValue": {"stringValue": key}})
        sheet.set(row, 0, {"userEnteredValue": {"stringValue": note}})
    result = sync(sheet, data, base if with_base else None, policy())  # no DuplicateKeyError for "-"
    assert not result.deletes
    kept = sorted(
        (sheet.value(r, key_col), sheet.value(r, 0))
        for r in range(len(sheet.grid))
        if sheet.value(r, key_col) in ("n/a", "-")
    )
    assert kept == [("-", "copied"), ("-", "no"), ("n/a", "ours?")]  # each note still on its row


def test_without_a_base_a_trello_shaped_key_of_a_deleted_card_is_still_removed() -> None:
    gone = "5f1c0ffee0ddba11cafe0001"
    sheet, _base, _data = synced([card(gone), card("c2")])
    result = sync(sheet, board([card("c2")]), None, policy())
    assert [d.key for d in result.deletes] == [gone]


def test_sort_by_names_a_header_or_field_and_direction() -> None:
    sheet, base, data = synced([card("c1", "a"), card("c2", "b")])
    result = plan_of(base, data, sheet, policy(sort_by=("-name",)))
    assert result.sort is not None and result.sort.specs == ((2, False), (KEY + 1, True))


def test_the_plan_survives_json() -> None:
    sheet, base, data = synced([card("c1"), card("c2")])
    sheet.set(_row_of(sheet, "c1"), 2, {"userEnteredValue": {"formulaValue": "=NOW()"}})
    data["cards"][1]["closed"] = True
    data["cards"].append(card("c3", due="2026-01-01T00:00:00.000Z"))
    result = plan_of(base, data, sheet)
    text = json.dumps(result.to_json())
    assert plan_from_json(json.loads(text)) == result
    assert result.deletes == (DeleteRow(_row_of(sheet, "c2"), "c2", "archived"),)
