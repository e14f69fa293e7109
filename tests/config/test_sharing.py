"""Sharing keys: which principals a spreadsheet is shared with, as what; pairs on one spreadsheet agree."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.config.models import parse_config
from app.config.roles import Principal
from app.config.sharing import editor_roles, spreadsheet_sharing
from app.errors import ConfigError

ROLES = """\
roles:
  chief: [chief@example.org]
  committee: [group:ideas@example.org, chief@example.org]
  stakeholders: [domain:example.org]
"""


def pair(name: str, sheet_keys: str = "", spreadsheet: str = "sheet-1", tab: str | None = None) -> str:
    keys = f", {sheet_keys}" if sheet_keys else ""
    return f"""\
  - name: {name}
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: {spreadsheet}, tab: {tab or name}{keys}}}
    columns:
      - {{header: Title, field: name, two_way: true, editable_by: [committee]}}
      - {{header: Date, field: due}}
"""


def config(*pairs: str) -> str:
    return ROLES + "pairs:\n" + "".join(pairs)


def test_share_true_makes_editors_writers_and_every_other_role_share_as() -> None:
    parsed = parse_config(config(pair("social", "share: true, share_as: commenter")))
    (sheet,) = spreadsheet_sharing(parsed)
    assert sheet.enabled and sheet.pair == "social"
    assert editor_roles(list(parsed.pairs)) == ["committee"]
    assert sheet.wanted == {
        Principal("group", "ideas@example.org"): "writer",
        Principal("user", "chief@example.org"): "writer",  # in committee too: the strongest role wins
        Principal("domain", "example.org"): "commenter",
    }
    assert sheet.settings.audit_every == timedelta(hours=1) and sheet.settings.sharing == "report"
    assert parsed.warnings == []  # share: true uses every role


def test_a_share_list_names_its_roles_and_editors_are_added() -> None:
    parsed = parse_config(config(pair("social", "share: [stakeholders]")))
    (sheet,) = spreadsheet_sharing(parsed)
    assert sheet.wanted[Principal("domain", "example.org")] == "reader"
    assert sheet.wanted[Principal("group", "ideas@example.org")] == "writer"
    assert [w.path for w in parsed.warnings] == ["roles.chief"]  # named by nothing


def test_default_is_no_sharing_at_all() -> None:
    (sheet,) = spreadsheet_sharing(parse_config(config(pair("social"))))
    assert not sheet.enabled and sheet.wanted == {}


def test_an_unknown_role_in_share_is_reported_at_its_line() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(config(pair("social", "share: [stakeholder]")), "c.yaml", {})
    (problem,) = info.value.problems
    assert problem.path == "pairs[0].sheet.share[0]" and "unknown role 'stakeholder'" in problem.message
    assert "stakeholders" in (problem.hint or "")


def test_pairs_on_one_spreadsheet_share_its_sharing() -> None:
    one = pair("a", "share: true, sharing: enforce, audit_every: 10m")
    parsed = parse_config(config(one, pair("b")))  # b sets nothing: a's settings hold for the spreadsheet
    (sheet,) = spreadsheet_sharing(parsed)
    assert sheet.pairs == ("a", "b") and sheet.settings.sharing == "enforce"
    assert sheet.settings.audit_every == timedelta(minutes=10)
    same = parse_config(config(one, pair("b", "share: true, sharing: enforce, audit_every: 10m")))
    assert spreadsheet_sharing(same)[0].settings == sheet.settings


def test_two_pairs_setting_one_spreadsheet_differently_is_a_config_error() -> None:
    text = config(pair("a", "share: true"), pair("b", "share: true, sharing: enforce"))
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.yaml", {})
    (problem,) = info.value.problems
    assert problem.path.startswith("pairs[1].sheet") and "'a' and 'b'" in problem.message


def test_pairs_on_different_spreadsheets_are_independent() -> None:
    parsed = parse_config(config(pair("a", "share: true"), pair("b", "share: false", spreadsheet="sheet-2")))
    assert [(s.spreadsheet, s.enabled) for s in spreadsheet_sharing(parsed)] == [
        ("sheet-1", True),
        ("sheet-2", False),
    ]


def test_the_intake_tab_s_roles_are_editors_they_type_ideas_into_it() -> None:
    intake = """    intake:
      tab: Ideas
      list: Ideas
      editable_by: [chief]
      columns:
        - {header: Idea, field: name}
"""
    parsed = parse_config(config(pair("social", "share: [stakeholders]") + intake))
    assert editor_roles(list(parsed.pairs)) == ["committee", "chief"]
    (sheet,) = spreadsheet_sharing(parsed)
    assert sheet.wanted[Principal("user", "chief@example.org")] == "writer"
    assert sheet.wanted[Principal("domain", "example.org")] == "reader"
