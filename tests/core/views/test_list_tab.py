"""The list tab's looks: title links repaired on rows as read, the key column hidden once, colour rules."""

from __future__ import annotations

from typing import Any

from app.core.views.list_tab import colour_rule_requests, hide_key_column, title_link_requests, wanted_rules
from app.core.views.palette import TEXT, tint


def text(value: str, **extra: Any) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": value}, **extra}


def test_titles_without_their_link_get_it_and_nothing_else_is_written() -> None:
    rows = [
        [text("Title"), text("Card ID")],
        [text("Linked"), text("c1")],
        [text("Not linked"), text("c2")],
        [text("Elsewhere", hyperlink="https://example.org"), text("c3")],
        [text("A stakeholder's row"), text("n/a")],
        [{}, text("c4")],  # an empty title: the plan writes it, with its link
    ]
    rows[1][0]["hyperlink"] = "https://trello.com/c/c1"
    links = {f"c{i}": f"https://trello.com/c/c{i}" for i in range(1, 5)}
    requests = title_link_requests(7, rows, 0, 1, links)
    assert [(r["updateCells"]["start"]["rowIndex"]) for r in requests] == [2, 3]
    assert requests[0]["updateCells"] == {
        "start": {"sheetId": 7, "rowIndex": 2, "columnIndex": 0},
        "rows": [
            {"values": [{"userEnteredFormat": {"textFormat": {"link": {"uri": "https://trello.com/c/c2"}}}}]}
        ],
        "fields": "userEnteredFormat.textFormat.link",  # the value and other formats are left alone
    }


def test_the_key_column_is_hidden_once() -> None:
    request = hide_key_column(7, 3, [{}, {}, {}, {"pixelSize": 100}])
    assert request == [
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 7, "dimension": "COLUMNS", "startIndex": 3, "endIndex": 4},
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        }
    ]
    assert hide_key_column(7, 3, [{}, {}, {}, {"hiddenByUser": True}]) == []


def test_label_rules_try_longer_names_first_and_skip_formula_like_values() -> None:
    colours = {"Instagram": TEXT["purple"], "Instagram Stories": TEXT["pink"], "=evil": TEXT["red"]}
    rules = wanted_rules(4, colours, "labels")
    assert rules == [
        (4, "TEXT_CONTAINS", "Instagram Stories", tint(TEXT["pink"])),
        (4, "TEXT_CONTAINS", "Instagram", tint(TEXT["purple"])),
    ]
    assert wanted_rules(2, {"Review": TEXT["blue"]}, "list") == [(2, "TEXT_EQ", "Review", tint(TEXT["blue"]))]


def test_colour_rules_are_added_after_people_s_own_then_left_alone() -> None:
    rules = wanted_rules(4, {"Instagram": TEXT["purple"]}, "labels")
    theirs = {"ranges": [{"sheetId": 7, "startColumnIndex": 0, "endColumnIndex": 9}], "booleanRule": {}}
    requests = colour_rule_requests(7, rules, [theirs])
    assert [next(iter(r)) for r in requests] == ["addConditionalFormatRule"]
    added = requests[0]["addConditionalFormatRule"]["rule"]
    # What Google answers: the sheetId, and the colour twice as float32.
    answer = {
        "ranges": [{"sheetId": 7, "startRowIndex": 1, "startColumnIndex": 4, "endColumnIndex": 5}],
        "booleanRule": {
            "condition": added["booleanRule"]["condition"],
            "format": {"backgroundColor": {"red": 0.9254902, "green": 0.8745098, "blue": 0.972549}},
        },
    }
    assert colour_rule_requests(7, rules, [theirs, answer]) == []


def test_changed_colours_replace_only_our_rules_last_first() -> None:
    old = wanted_rules(4, {"A": TEXT["blue"], "B": TEXT["red"]}, "list")
    existing = [
        {"ranges": [{"startRowIndex": 1, "startColumnIndex": c, "endColumnIndex": c + 1}], "booleanRule": {
            "condition": {"type": kind, "values": [{"userEnteredValue": value}]},
            "format": {"backgroundColorStyle": {"rgbColor": {"red": 1}}} if value == "mine" else
            {"backgroundColor": {"red": int(bg[1:3], 16) / 255, "green": int(bg[3:5], 16) / 255,
                                 "blue": int(bg[5:7], 16) / 255}}}}
        for c, kind, value, bg in [(0, "TEXT_EQ", "mine", "#ff0000"), *old]
    ]  # fmt: skip
    new = wanted_rules(4, {"A": TEXT["blue"]}, "list")
    requests = colour_rule_requests(7, new, existing)
    assert requests[:2] == [
        {"deleteConditionalFormatRule": {"sheetId": 7, "index": 2}},
        {"deleteConditionalFormatRule": {"sheetId": 7, "index": 1}},
    ]
    assert len(requests) == 3 and "addConditionalFormatRule" in requests[2]
