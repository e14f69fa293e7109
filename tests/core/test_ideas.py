"""The intake tab's planner: pure table tests (rows, intents and a board in; cards, cells and notes out)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.ideas import (
    ARCHIVED,
    DELETED,
    NOTE_PREFIX,
    WAITING,
    IntakePolicy,
    Intent,
    created_at,
    row_key,
)
from app.core.ideas_plan import plan_intake
from app.core.model import Board, Card, Column, SheetTab, SheetValue, Vocabulary

POLICY = IntakePolicy(
    tab="Ideas",
    list_name="Ideas",
    columns=(
        Column("Idea", "name", True),
        Column("Why", "desc", True),
        Column("Network", "labels", True),
        Column("Publish on", "due", True),
    ),
    timezone="Europe/Paris",
)
HEADERS = ("Idea", "Why", "Network", "Publish on", "Card ID", "Link", "List")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LATER_ID = f"{int(NOON.timestamp()) + 5:08x}" + "0" * 15 + "1"  # made 5 s after NOON
OLDER_ID = f"{int(NOON.timestamp()) - 3600:08x}" + "0" * 15 + "2"  # made an hour before NOON


def board(*cards: Card) -> Board:
    vocabulary = Vocabulary(
        lists={"Ideas": "list-ideas", "Drafting": "list-drafting"}, labels={"Instagram": "label-ig"}
    )
    return Board("board", "Board", cards, vocabulary=vocabulary)


def tab(*rows: tuple[SheetValue, ...], headers: tuple[str, ...] = HEADERS) -> SheetTab:
    return SheetTab(sheet_id=7, headers=headers, column_tags=(), rows=rows)


def card(ident: str, name: str, list_name: str = "Ideas", **fields: object) -> Card:
    return Card(ident, name=name, list_name=list_name, url=f"https://trello.com/c/{ident}", **fields)  # type: ignore[arg-type]


def test_a_row_key_ignores_case_and_spacing_but_not_repeats() -> None:
    assert row_key("Teaser  video", 0) == row_key("teaser video ", 0)
    assert row_key("Teaser video", 0) != row_key("Teaser video", 1)
    assert row_key("Teaser video", 0) != row_key("Teaser audio", 0)


def test_a_trello_id_tells_its_creation_second() -> None:
    assert created_at(LATER_ID) == int(NOON.timestamp()) + 5
    assert created_at("not-an-id") is None


def test_an_empty_tab_gets_its_header_row() -> None:
    plan = plan_intake(tab(headers=()), board(), POLICY, [])
    assert [(c.row, c.column, c.cell.value) for c in plan.cells] == [(0, i, h) for i, h in enumerate(HEADERS)]


def test_a_row_with_a_name_becomes_a_card_with_its_mapped_fields() -> None:
    plan = plan_intake(tab(("Teaser", "Launch", "instagram", "2026-12-24")), board(), POLICY, [])
    [new] = plan.creates
    assert (new.row, new.name, new.row_key) == (1, "Teaser", row_key("Teaser", 0))
    assert new.put == {"desc": "Launch", "idLabels": "label-ig", "due": "2026-12-23T23:00:00.000Z"}
    assert new.base["Network"] == "Instagram" and isinstance(new.base["Publish on"], float)
    # The label typed in lower case and the date typed as text are shown Trello's way once created.
    assert {(c.column, c.cell.value) for c in plan.shown[new.row_key]} >= {(2, "Instagram")}
    assert plan.list_id == "list-ideas"


@pytest.mark.parametrize(
    "row",
    [
        (),
        ("", "", "", "", "", "", "", "a free column's note"),
        ("", "only a reason, no idea"),
    ],
)
def test_rows_without_an_idea_are_ignored(row: tuple[SheetValue, ...]) -> None:
    plan = plan_intake(tab(row), board(), POLICY, [])
    assert plan.empty()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [(2, "TikTok", "the board has no label 'TikTok'"), (3, "next friday", "is not a date")],
)
def test_an_invalid_cell_gets_a_note_and_nothing_is_created(column: int, value: str, reason: str) -> None:
    row: list[SheetValue] = ["Giveaway", "", "", ""]
    row[column] = value
    plan = plan_intake(tab(tuple(row)), board(), POLICY, [])
    assert plan.creates == ()
    [note] = plan.notes
    assert (
        (note.row, note.column) == (1, column) and reason in note.note and note.note.startswith(NOTE_PREFIX)
    )
    assert [(c.column, c.cell.value) for c in plan.cells] == [(6, WAITING)]
    # The row's cells themselves are left as typed.
    assert all(c.column == 6 for c in plan.cells)


def test_a_fixed_row_loses_our_note_and_keeps_anyone_elses() -> None:
    notes = {(1, 2): f"{NOTE_PREFIX}not created yet: the board has no label 'TikTok'.", (1, 1): "from Ann"}
    plan = plan_intake(tab(("Giveaway", "Why not", "Instagram")), board(), POLICY, [], notes)
    assert [(n.column, n.note) for n in plan.notes] == [(2, "")]
    assert len(plan.creates) == 1


def test_an_intent_with_a_card_id_writes_the_row_without_creating() -> None:
    made = card(LATER_ID, "Teaser")
    intent = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON, LATER_ID)
    plan = plan_intake(tab(("Teaser",)), board(made), POLICY, [intent])
    assert plan.creates == () and plan.resolved == {intent.row_key: made}
    assert plan.resolved_rows == {intent.row_key: 1}


def test_an_intent_without_a_card_id_adopts_the_card_the_board_shows() -> None:
    intent = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON)
    made = card(LATER_ID, "Teaser")
    plan = plan_intake(tab(("Teaser",)), board(made), POLICY, [intent])
    assert plan.creates == () and plan.resolved == {intent.row_key: made}


@pytest.mark.parametrize(
    "other",
    [
        card(OLDER_ID, "Teaser"),  # made long before the intent: someone else's card
        card(LATER_ID, "Another idea"),  # another name
    ],
)
def test_an_intent_without_a_match_creates_again(other: Card) -> None:
    intent = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON)
    plan = plan_intake(tab(("Teaser",)), board(other), POLICY, [intent])
    assert [new.name for new in plan.creates] == ["Teaser"] and plan.resolved == {}


def test_a_card_another_row_shows_is_never_adopted() -> None:
    intent = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON)
    shown = card(LATER_ID, "Teaser")
    rows = (("Teaser", "", "", "", LATER_ID, "", "Ideas"), ("Teaser",))
    plan = plan_intake(tab(*rows), board(shown), POLICY, [intent])
    assert [new.row for new in plan.creates] == [2] and plan.resolved == {}


def test_a_done_intent_does_not_claim_a_new_row_with_the_same_name() -> None:
    done = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON, LATER_ID, done=True)
    plan = plan_intake(tab(("Teaser",)), board(card(LATER_ID, "Teaser")), POLICY, [done])
    assert len(plan.creates) == 1 and plan.resolved == {}


def test_two_rows_with_the_same_idea_are_two_cards() -> None:
    plan = plan_intake(tab(("Teaser",), ("Teaser",)), board(), POLICY, [])
    assert len({new.row_key for new in plan.creates}) == 2


@pytest.mark.parametrize(
    ("found", "status"),
    [
        (card(LATER_ID, "Teaser", "Drafting"), "Drafting"),
        (card(LATER_ID, "Teaser", closed=True), ARCHIVED),
        (None, DELETED),
    ],
)
def test_a_keyed_row_shows_its_cards_current_list(found: Card | None, status: str) -> None:
    row = ("Teaser", "", "", "", LATER_ID, f"https://trello.com/c/{LATER_ID}", "Ideas")
    plan = plan_intake(tab(row), board(*([found] if found else [])), POLICY, [])
    assert [(c.column, c.cell.value) for c in plan.cells if c.column == 6] == [(6, status)]
    assert plan.creates == ()


def test_a_keyed_rows_edit_is_written_to_trello_and_trellos_change_reaches_the_row() -> None:
    base = {"Idea": "Teaser", "Why": "old reason", "Card ID": LATER_ID}
    intent = Intent(row_key("Teaser", 0), "Teaser", "list-ideas", NOON, LATER_ID, base, done=True)
    renamed = card(LATER_ID, "Launch teaser", desc="old reason")
    row = ("Teaser", "new reason", None, None, LATER_ID, f"https://trello.com/c/{LATER_ID}", "Ideas")
    plan = plan_intake(tab(row), board(renamed), POLICY, [intent])
    [write] = plan.trello
    assert (write.key, write.put) == (LATER_ID, {"desc": "new reason"})
    assert [(c.column, c.cell.value) for c in plan.cells] == [(0, "Launch teaser")]
    assert plan.bases[LATER_ID]["Why"] == "new reason"


def test_a_cleared_card_id_comes_back_from_the_rows_anchor() -> None:
    made = card(LATER_ID, "Teaser")
    row = ("Teaser", None, None, None, None, f"https://trello.com/c/{LATER_ID}", "Ideas")
    plan = plan_intake(tab(row), board(made), POLICY, [], anchors={1: LATER_ID})
    assert plan.creates == ()
    assert [(c.column, c.cell.value) for c in plan.cells] == [(4, LATER_ID)]
