"""The editor-in-chief's approval (pure): flagged cards, their change-log records, the sheet's rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.approvals import (
    CLEARED,
    FLAGGED,
    Unapproved,
    after,
    approval_formula,
    approval_records,
    approval_rule,
    approval_rule_requests,
    flagged_now,
    flagged_since,
    unapproved,
)
from app.core.model import Board, Card

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _board() -> Board:
    cards = (
        Card("a", "Launch", list_name="Scheduled"),
        Card("b", "Recap", list_name="Scheduled"),
        Card("c", "Draft", list_name="Drafting"),
        Card("d", "Old", list_name="Published", closed=True),
        Card("e", "Out of the pair", list_name="Published"),
    )
    return Board("board", "Social", cards=cards)


def test_cards_in_required_lists_without_the_box_ticked_are_flagged() -> None:
    rows = {
        "a": {"Approved": True},
        "b": {"Approved": False},
        "c": {"Approved": False},
        "d": {"Approved": False},
    }
    flagged = unapproved(_board(), rows, "Approved", ["Scheduled", "Published"])
    assert [(f.card_id, f.list_name) for f in flagged] == [("b", "Scheduled")]


def test_records_once_when_flagged_and_once_when_cleared() -> None:
    rows = {"b": {"Approved": None}}
    flagged = unapproved(_board(), rows, "Approved", ["Scheduled"])
    first = approval_records(flagged, {}, pair="p", board_id="board", at=AT)
    assert [(r.action_type, r.card_id, r.after) for r in first] == [(FLAGGED, "b", "unapproved in Scheduled")]
    assert approval_records(flagged, flagged_now(first), pair="p", board_id="board", at=AT) == []
    cleared = approval_records([], flagged_now(first), pair="p", board_id="board", at=AT)
    # The cleared entry names its card like the flagging one did (the card may have left the board).
    assert [(r.action_type, r.card_id, r.card_name) for r in cleared] == [(CLEARED, "b", first[0].card_name)]
    assert first[0].card_name
    assert all(len(r.action_id) <= 64 for r in first + cleared)
    assert set(flagged_now([*cleared, *first])) == set()  # newest first: cleared after flagged
    assert set(flagged_now([*first, *cleared])) == {"b"}


def test_the_rule_is_ours_first_and_kept_when_unchanged() -> None:
    formula = approval_formula(3, 2, ["Scheduled", 'Say "hi"'])
    assert formula == '=N("boardsheet approval")+AND(OR($C2="Scheduled",$C2="Say ""hi"""),$D2<>TRUE)'
    rule = approval_rule(7, 3, formula)
    theirs = {"ranges": [{"sheetId": 7}], "booleanRule": {"condition": {"type": "NOT_BLANK"}}}
    requests = approval_rule_requests(7, rule, [theirs])
    assert requests == [{"addConditionalFormatRule": {"rule": rule, "index": 0}}]
    rules = after(7, [theirs], requests)
    assert rules == [rule, theirs]
    assert approval_rule_requests(7, rule, rules) == []
    moved = approval_rule(7, 4, approval_formula(4, 2, ["Scheduled"]))
    assert approval_rule_requests(7, moved, rules) == [
        {"deleteConditionalFormatRule": {"sheetId": 7, "index": 0}},
        {"addConditionalFormatRule": {"rule": moved, "index": 0}},
    ]
    assert approval_rule_requests(7, None, rules) == [
        {"deleteConditionalFormatRule": {"sheetId": 7, "index": 0}}
    ]
    assert approval_rule_requests(7, None, [theirs]) == []


def test_after_applies_only_this_tab_s_rule_requests() -> None:
    other = {"addConditionalFormatRule": {"rule": {"ranges": [{"sheetId": 8}]}}}
    mine = {"addConditionalFormatRule": {"rule": {"ranges": [{"sheetId": 7}]}}}
    delete = {"deleteConditionalFormatRule": {"sheetId": 7, "index": 0}}
    assert after(7, [{"x": 1}], [other, delete, mine]) == [{"ranges": [{"sheetId": 7}]}]


def test_a_renamed_or_moved_card_is_flagged_again_as_it_is_now() -> None:
    first = approval_records([Unapproved("b", "Recap", "Scheduled")], {}, pair="p", board_id="board", at=AT)
    renamed = [Unapproved("b", "Recap (final)", "Scheduled")]
    later = AT + timedelta(minutes=5)
    again = approval_records(renamed, flagged_now(first), pair="p", board_id="board", at=later)
    assert [(r.action_type, r.card_name, r.before, r.after) for r in again] == [
        (FLAGGED, "Recap (final)", "“Recap” unapproved in Scheduled", "unapproved in Scheduled")
    ]
    moved = [Unapproved("b", "Recap (final)", "Published")]
    log = [*again, *first]  # newest first
    last = AT + timedelta(minutes=9)
    third = approval_records(moved, flagged_now(log), pair="p", board_id="board", at=last)
    assert [(r.card_name, r.before, r.after) for r in third] == [
        ("Recap (final)", "unapproved in Scheduled", "unapproved in Published")
    ]
    assert len({r.action_id for r in [*third, *log]}) == 3
    log = [*third, *log]
    assert approval_records(moved, flagged_now(log), pair="p", board_id="board", at=last) == []
    # The card has waited since its first flag; cleared, it is named as the board names it now.
    assert flagged_since(log) == {"b": AT}
    cleared = approval_records(
        [], flagged_now(log), pair="p", board_id="board", at=last, titles={"b": "Recap (v3)"}
    )
    assert [(r.action_type, r.card_name) for r in cleared] == [(CLEARED, "Recap (v3)")]
    assert flagged_since([*cleared, *log]) == {}
    reflagged = approval_records(moved, {}, pair="p", board_id="board", at=last + timedelta(minutes=1))
    assert flagged_since([*reflagged, *cleared, *log]) == {"b": last + timedelta(minutes=1)}
