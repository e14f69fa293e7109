"""Checks against what the APIs return (board JSON, tab titles): located like any config problem."""

from __future__ import annotations

from typing import Any

from app.config.checks import (
    check_against_board,
    check_against_tabs,
    check_intake_tab,
    check_new_tab,
    near_misses,
    unreachable,
)
from app.config.models import Column, Pair, parse_config
from app.config.sides import SheetTarget, TrelloSource

TEXT = """\
pairs:
  - name: first
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: One}
    columns: [{header: Title, field: name}]
  - name: social
    trello:
      board: AbCdEfGh
      lists: [Drafting, Reveiw]
      labels: [Instagram, TikTok]
    sheet: {spreadsheet: s1, tab: Calendr}
    changes_tab: Changes
    columns:
      - {header: Title, field: name}
      - {header: Channel, field: "custom:Chanel"}
      - {header: Budget, field: "custom:Budget"}
      - {header: Owner, field: "custom:Owner"}
"""

BOARD: dict[str, Any] = {
    "lists": [{"name": "Drafting"}, {"name": "Review"}],
    "labels": [{"name": "Instagram"}, {"name": ""}],
    "customFields": [
        {"name": "Channel", "type": "list"},
        {"name": "Budget", "type": "number"},
        {"name": "Owner", "type": "member"},
    ],
}


def test_board_names_checked_with_lines_and_hints() -> None:
    pair = parse_config(TEXT, "c.yaml", {}).pair("social")
    problems = {p.path: p for p in check_against_board(pair, BOARD)}
    assert set(problems) == {
        "pairs[1].trello.lists[1]",
        "pairs[1].trello.labels[1]",
        "pairs[1].columns[1].field",
        "pairs[1].columns[3].field",
    }
    review = problems["pairs[1].trello.lists[1]"]
    assert (review.line, review.hint) == (9, "did you mean 'Review'?")
    assert problems["pairs[1].trello.labels[1]"].hint == "the board has: Instagram"
    channel = problems["pairs[1].columns[1].field"]
    assert (channel.line, channel.hint) == (15, "did you mean 'Channel'?")
    assert "unsupported type member" in problems["pairs[1].columns[3].field"].message


def test_matching_board_has_no_problems() -> None:
    pair = parse_config(TEXT, "c.yaml", {}).pair("first")
    assert check_against_board(pair, BOARD) == []


def test_tabs_checked() -> None:
    pair = parse_config(TEXT, "c.yaml", {}).pair("social")
    problems = check_against_tabs(pair, ["Calendar", "Notes"])
    assert [(p.path, p.line) for p in problems] == [("pairs[1].sheet.tab", 11)]
    assert problems[0].hint == "did you mean 'Calendar'?"
    assert "--create-tab" in check_against_tabs(pair, ["Notes"])[0].hint
    # The Changes tab need not exist: the first run adds it.
    assert check_against_tabs(pair, ["Calendr"]) == []


def test_every_near_miss_is_named_and_the_pairs_own_other_tabs_never_are() -> None:
    text = """\
pairs:
  - name: cal
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: Calendar}
    columns: [{header: Title, field: name}]
"""
    pair = parse_config(text, "c.yaml", {}).pair("cal")
    tabs = ["Calendar view", "Calendar (old)", "Notes"]
    # "Calendar view" scores higher than the renamed "Calendar (old)": naming only the closest would send
    # people to rename the wrong tab, so both are named.
    assert near_misses(pair, tabs) == ["Calendar view", "Calendar (old)"]
    assert check_against_tabs(pair, tabs)[0].hint == "did you mean 'Calendar view' or 'Calendar (old)'?"
    refused = check_new_tab(pair, tabs)[0]
    assert "tabs named 'Calendar view' and 'Calendar (old)', near misses" in refused.message
    assert (
        refused.hint == "rename the one that is this pair's tab to 'Calendar', or set sheet.tab to its name"
    )
    # A month view of the same pair is its own tab, never its renamed list tab.
    with_view = parse_config(text + "    views: [{type: month, tab: Calendar view}]\n", "c.yaml", {}).pair(
        "cal"
    )
    assert near_misses(with_view, tabs) == ["Calendar (old)"]
    assert check_new_tab(with_view, tabs)[0].hint == (
        "rename the tab 'Calendar (old)' to 'Calendar', or set sheet.tab to 'Calendar (old)'"
    )
    assert near_misses(pair, ["calendar ", "Notes"]) == ["calendar "]
    assert near_misses(pair, ["Notes", "Ideas"]) == []


def test_the_intake_tab_must_exist_runs_do_not_add_it() -> None:
    intake = (
        "    intake:\n      tab: Ideaz\n      list: Ideas\n      columns: [{header: Idea, field: name}]\n"
    )
    text = TEXT + intake
    pair = parse_config(text, "c.yaml", {}).pair("social")
    problems = check_intake_tab(pair, ["Calendr", "Ideas"])
    assert [(p.path, p.line, p.hint) for p in problems] == [
        ("pairs[1].intake.tab", 19, "did you mean 'Ideas'?")
    ]
    assert "add it" in check_intake_tab(pair, ["Calendr"])[0].hint
    assert check_intake_tab(pair, ["Ideaz"]) == []
    assert check_intake_tab(parse_config(TEXT, "c.yaml", {}).pair("social"), []) == []


def test_pairs_built_in_code_are_checked_without_lines() -> None:
    pair = Pair(
        name="coded",
        trello=TrelloSource(board="AbCdEfGh", lists=["Nope"]),
        sheet=SheetTarget(spreadsheet="s", tab="T"),
        columns=[Column(header="Title", field="name")],
    )
    (problem,) = check_against_board(pair, BOARD)
    assert (problem.file, problem.line, problem.path) == ("<config>", None, "pairs[0].trello.lists[0]")
    assert str(problem).startswith("<config> pairs[0].trello.lists[0]: the board has no list named 'Nope'")


def test_unreachable_points_at_the_board_or_spreadsheet() -> None:
    pair = parse_config(TEXT, "c.yaml", {}).pair("social")
    assert unreachable(pair, "trello", "401").path == "pairs[1].trello.board"
    sheet = unreachable(pair, "sheet", "not found")
    assert (sheet.path, sheet.line) == ("pairs[1].sheet.spreadsheet", 11)
    assert "service account" in sheet.hint
