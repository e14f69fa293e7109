"""The views and the list tab's looks in the YAML: defaults, every mistake located, board checks."""

from __future__ import annotations

from typing import Any

import pytest

from app.config.checks import check_against_board
from app.config.models import parse_config
from app.config.policy import month_spec, policy_of
from app.config.source import Problem
from app.errors import ConfigError

PAIR = """\
pairs:
  - name: social
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: s1, tab: Calendar{sheet}}}
    timezone: Europe/Paris
    changes_tab: Changes
    columns:
      - {{header: Date, field: due}}
      - {{header: Title, field: name}}
      - {{header: Network, field: labels}}
    views:
{views}"""
VIEW = "      - {type: month, tab: Calendar view}\n"


def problems(sheet: str = "", views: str = VIEW, extra: str = "") -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse_config(PAIR.format(sheet=sheet, views=views) + extra, "c.yaml", {})
    return info.value.problems


def test_defaults_and_what_the_core_gets() -> None:
    pair = parse_config(PAIR.format(sheet="", views=VIEW), "c.yaml", {}).pairs[0]
    (view,) = pair.views
    assert (view.months, view.date, view.colour_by, view.title, view.week_start) == (
        3, "due", "labels", "{name}", "monday",
    )  # fmt: skip
    assert month_spec(pair, view).timezone == "Europe/Paris"
    assert (pair.sheet.key_column, pair.sheet.link, pair.sheet.colour_by) == ("shown", None, None)
    assert policy_of(pair).title_link is False
    assert pair.sheet.freshness is False  # no row is ever added above an existing header unasked


def test_the_list_tab_freshness_line_is_asked_for_and_must_be_a_boolean() -> None:
    on = parse_config(PAIR.format(sheet=", freshness: true", views=VIEW), "c.yaml", {}).pairs[0]
    assert on.sheet.freshness is True
    with pytest.raises(ConfigError, match=r"pairs\[0\]\.sheet\.freshness"):
        parse_config(PAIR.format(sheet=", freshness: sometimes", views=VIEW), "c.yaml", {})


def test_list_tab_options() -> None:
    text = PAIR.format(sheet=", link: title, key_column: hidden, colour_by: labels", views=VIEW)
    pair = parse_config(text, "c.yaml", {}).pairs[0]
    assert policy_of(pair).title_link is True


@pytest.mark.parametrize(
    ("views", "path", "words"),
    [
        ("      - {type: month, tab: Calendar}\n", "pairs[0].views[0].tab", "already the synced tab"),
        ("      - {type: month, tab: Changes}\n", "pairs[0].views[0].tab", "already the Changes tab"),
        (VIEW + VIEW, "pairs[0].views[1].tab", "already the tab of views[0]"),
        ("      - {type: week, tab: V}\n", "pairs[0].views[0].type", "'month'"),
        (
            "      - {type: month, tab: V, months: 0}\n",
            "pairs[0].views[0].months",
            "greater than or equal to 1",
        ),
        ("      - {type: month, tab: V, date: dew}\n", "pairs[0].views[0].date", "did you mean 'due'?"),
        ("      - {type: month, tab: V, colour_by: label}\n", "pairs[0].views[0].colour_by", "'labels'"),
        (
            "      - {type: month, tab: V, title: '{nme}'}\n",
            "pairs[0].views[0].title",
            "did you mean 'name'?",
        ),
        ("      - {type: month, tab: V, week_start: tuesday}\n", "pairs[0].views[0].week_start", "'sunday'"),
        ("      - {type: month, tab: V, colur_by: list}\n", "pairs[0].views[0].colur_by", "colour_by"),
    ],
)
def test_view_mistakes_are_located(views: str, path: str, words: str) -> None:
    found = {p.path: p for p in problems(views=views)}
    assert path in found, [str(p) for p in found.values()]
    assert words in str(found[path])


@pytest.mark.parametrize(
    ("sheet", "path", "words"),
    [
        (", link: url", "pairs[0].sheet.link", "'title'"),
        (", key_column: gone", "pairs[0].sheet.key_column", "'hidden'"),
        (", colour_by: list", "pairs[0].sheet.colour_by", "no column shows that field"),
    ],
)
def test_list_tab_mistakes_are_located(sheet: str, path: str, words: str) -> None:
    found = {p.path: p for p in problems(sheet=sheet)}
    assert path in found, [str(p) for p in found.values()]
    assert words in str(found[path])


def test_link_title_needs_a_title_column() -> None:
    text = PAIR.format(sheet=", link: title", views=VIEW).replace(
        "      - {header: Title, field: name}\n", ""
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.yaml", {})
    assert "field: name" in str(info.value.problems[0])


def test_two_pairs_cannot_write_one_view_tab() -> None:
    other = """  - name: other
    trello: {board: XyZxYzXy}
    sheet: {spreadsheet: s1, tab: Other}
    columns: [{header: Title, field: name}]
    views: [{type: month, tab: Calendar view}]
"""
    found = {p.path: p for p in problems(extra=other)}
    assert "write the same tab" in str(found["pairs[1].views[0].tab"])


def test_views_custom_fields_are_checked_against_the_board() -> None:
    views = (
        "      - {type: month, tab: V, date: 'custom:Publish', colour_by: 'custom:Chanel',"
        " title: '{name} {custom:Budget}'}\n"
    )
    pair = parse_config(PAIR.format(sheet="", views=views), "c.yaml", {}).pairs[0]
    board: dict[str, Any] = {
        "customFields": [
            {"name": "Publish", "type": "text"},
            {"name": "Channel", "type": "list"},
            {"name": "Budget", "type": "number"},
        ]
    }
    found = {p.path: p for p in check_against_board(pair, board)}
    assert set(found) == {"pairs[0].views[0].date", "pairs[0].views[0].colour_by"}
    assert "is a text field, not a date field" in found["pairs[0].views[0].date"].message
    assert found["pairs[0].views[0].colour_by"].hint == "did you mean 'Channel'?"
