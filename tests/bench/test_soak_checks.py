"""The soak's checks find each kind of loss they exist for (bench/soak/checks.py), on hand-built sides."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.config.models import Config, parse_config
from app.core.model import Formula, SheetTab
from app.core.records import ChangeRecord
from bench.soak import checks
from bench.soak.ideas import idea_problems, ideas_waiting
from bench.soak.people import Edits
from bench.soak.world import CONFIG
from connectors.sheets.tab_snapshot import TabSnapshot
from tests.support.boardjson import board, card

HEADERS = ("Date", "Title", "Status", "Network", "Owners", "Channel", "Done", "Card ID", "Notes", "Check")
ROW_1 = (None, "card c1", "Drafting", "Video, Urgent", "Alice A", None, False, "c1", "n1", Formula('="x"'))
ROW_2 = (None, "card c2", "Review", None, None, None, False, "c2", None, None)


def config() -> Config:
    text = CONFIG.format(
        pair="soak", board="b1", spreadsheet="s1", tab="Calendar", every="10s", changes="C", ideas="I"
    )
    return parse_config(text, env={})


def sides(*rows: tuple[Any, ...]) -> checks.Sides:
    """The board's two cards (c1 with two labels and a member, c2 in Review) and a tab of `rows`."""
    cards = [card("c1", idLabels=["lb1", "lb2"], idMembers=["m1"]), card("c2", idList="l2")]
    return checks.Sides(board(cards), SheetTab(sheet_id=0, headers=HEADERS, column_tags=(), rows=rows))


def change(kind: str, card_id: str, field: str, action_id: str = "a") -> ChangeRecord:
    return ChangeRecord(
        datetime(2026, 1, 1, tzinfo=UTC), "soak", "b1", action_id, kind, "x", card_id, "", field
    )


def test_a_sheet_equal_to_the_board_has_no_problem_labels_in_any_order() -> None:
    assert checks.mapping_problems(config(), sides(ROW_1, ROW_2)) == []


def test_a_missing_a_duplicated_an_extra_row_and_a_wrong_cell_are_each_named() -> None:
    wrong = (*ROW_2[:2], "Scheduled", *ROW_2[3:])
    extra = (*ROW_2[:7], "c9", None, None)
    assert checks.mapping_problems(config(), sides(ROW_1, ROW_1)) == ["card c2: no row", "card c1: 2 rows"]
    assert checks.mapping_problems(config(), sides(ROW_1, wrong, extra)) == [
        "row of c9: no such open card",
        "card c2 Status: 'Scheduled', board 'Review'",
    ]


def test_cards_beyond_the_seeded_and_the_team_created_ones_are_duplicates() -> None:
    team = [{"type": "createCard"}, {"type": "createCard"}, {"type": "deleteCard"}]
    assert checks.duplicate_problems(sides(ROW_1, ROW_2), team, seeded=1) == []
    assert checks.duplicate_problems(sides(ROW_1, ROW_2), team[1:], seeded=1) == [
        "2 cards on the board, 1 expected"
    ]


def test_a_note_or_formula_on_another_row_is_a_loss_a_gone_card_is_not() -> None:
    edits = Edits(notes={"c1": ("n1", '="x"'), "c7": ("n7", '="y"')})
    assert checks.note_problems(sides(ROW_1, ROW_2), edits) == []
    moved = (*ROW_1[:8], None, None)
    assert checks.note_problems(sides(moved, ROW_2), edits) == [
        "card c1: (None, None), typed ('n1', '=\"x\"')"
    ]


def test_an_accepted_sheet_edit_without_the_services_trello_write_is_named() -> None:
    changes = [
        change("sheet:edit", "c1", "list"),
        change("sheet:edit", "c1", "due"),
        change("sheet:rejected", "c2", "due"),
    ]
    writes = [{"type": "updateCard", "data": {"card": {"id": "c1"}, "old": {"idList": "l1"}}}]
    assert checks.accepted_problems(changes, writes) == ["card c1 due: 1 accepted, 0 written"]
    writes.append({"type": "updateCard", "data": {"card": {"id": "c1"}, "old": {"due": None}}})
    assert checks.accepted_problems(changes, writes) == []


def test_an_accepted_move_a_teammate_made_first_needs_no_write_of_the_service() -> None:
    changes = [replace(change("sheet:edit", "c1", "list"), after="Review")]
    moved = [
        {"type": "updateCard", "data": {"card": {"id": "c1"}, "listAfter": {"id": "l2", "name": "Review"}}}
    ]
    elsewhere = [
        {"type": "updateCard", "data": {"card": {"id": "c1"}, "listAfter": {"id": "l3", "name": "Scheduled"}}}
    ]
    assert checks.accepted_problems(changes, [], moved) == []
    assert checks.accepted_problems(changes, [], elsewhere) == ["card c1 idList: 1 accepted, 0 written"]


def test_a_team_action_on_a_card_missing_from_the_change_log_is_named() -> None:
    actions = [
        {"id": "a1", "type": "updateCard", "data": {"card": {"id": "c1"}}},
        {
            "id": "a2",
            "type": "deleteCard",
            "data": {"card": {"id": "c2"}},
            "memberCreator": {"username": "bob"},
        },
        {"id": "a3", "type": "addMemberToBoard", "data": {}},  # touches no card: never logged
    ]
    assert checks.log_problems([change("updateCard", "c1", "name", "a1")], actions) == [
        "deleteCard a2 by bob (no field) not logged"
    ]


def ideas_tab(*rows: tuple[str, str]) -> TabSnapshot:
    """The Ideas tab: a header, then (idea, card id) rows."""
    cells = [[{"formattedValue": v} if v else {} for v in (idea, "", card)] for idea, card in rows]
    header = [{"formattedValue": h} for h in ("Idea", "Why", "Card ID")]
    return TabSnapshot("s1", 1, "Ideas", 10, 3, 0, [header, *cells], [])


def created(*names: str) -> list[dict[str, Any]]:
    return [{"type": "createCard", "data": {"card": {"name": n}}} for n in names]


def test_each_idea_must_become_exactly_one_card_named_on_its_row() -> None:
    tab = ideas_tab(("Idea 1", "c1"), ("Renamed in Trello", "c2"))
    assert idea_problems(tab, ["Idea 1", "Idea 2"], created("Idea 1", "Idea 2")) == []
    assert idea_problems(tab, ["Idea 1", "Idea 2"], created("Idea 1", "Idea 2", "Idea 2")) == [
        "idea 'Idea 2': 2 cards",
        "3 cards created for 2 idea rows",
    ]
    assert idea_problems(tab, ["Idea 1", "Idea 2", "Idea 3"], created("Idea 1", "Idea 2")) == [
        "idea 'Idea 3': 0 cards"
    ]
    shared = ideas_tab(("Idea 1", "c1"), ("Idea 2", "c1"), ("Idea 3", ""))
    assert idea_problems(shared, [], created("Idea 1", "Idea 2", "Idea 3")) == [
        "row 4 ('Idea 3'): no card",
        "card c1 on 2 rows",
    ]
    assert ideas_waiting(shared) and not ideas_waiting(tab)
