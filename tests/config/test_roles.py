"""Roles in the YAML: members parsed as users, groups or domains; unknown references reported, located."""

from __future__ import annotations

import pytest

from app.config.models import parse_config
from app.config.roles import Principal, members, parse_principal
from app.config.source import Problem
from app.errors import ConfigError

CONFIG = """\
roles:
  editor_in_chief: [Chief@Example.org]
  committee: [group:content-ideas@example.org]
  stakeholders: [domain:example.org]
pairs:
  - name: social
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: sheet-1, tab: Calendar}}
    columns:
      - {{header: Date, field: due, two_way: true, editable_by: [{date_roles}]}}
      - {{header: Title, field: name, two_way: true, editable_by: [{title_roles}]}}
"""


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.yaml", {})
    return info.value.problems


@pytest.mark.parametrize(
    ("text", "principal"),
    [
        ("chief@example.org", Principal("user", "chief@example.org")),
        (" Chief@Example.ORG ", Principal("user", "chief@example.org")),
        ("group:Ideas@example.org", Principal("group", "ideas@example.org")),
        ("domain:Example.org", Principal("domain", "example.org")),
    ],
)
def test_members_are_users_groups_or_domains(text: str, principal: Principal) -> None:
    assert parse_principal(text) == principal


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("chief", "not an e-mail address"),
        ("chief@localhost", "not an e-mail address"),
        ("group:ideas", "give the group's e-mail"),
        ("domain:", "give a domain name"),
        ("grup:ideas@example.org", "group:"),  # a misspelt prefix: the hint names the right one
        ("two words@example.org", "not an e-mail address"),
    ],
)
def test_bad_members_say_what_is_expected(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_principal(text)


def test_roles_resolve_to_distinct_members_in_order() -> None:
    config = parse_config(CONFIG.format(date_roles="editor_in_chief, committee", title_roles="stakeholders"))
    assert config.roles["editor_in_chief"] == ["chief@example.org"]  # normalised
    assert members(config.roles, ["committee", "editor_in_chief", "committee"]) == [
        Principal("group", "content-ideas@example.org"),
        Principal("user", "chief@example.org"),
    ]
    assert [w.path for w in config.warnings] == ["roles.stakeholders[0]"]  # a domain editing: below


def test_a_domain_in_an_editing_role_is_a_warning_at_its_member() -> None:
    config = parse_config(CONFIG.format(date_roles="stakeholders", title_roles="committee"), "c.yaml", {})
    [warning] = [w for w in config.warnings if "used nowhere" not in w.message]
    assert (warning.path, warning.line) == ("roles.stakeholders[0]", 4)
    assert "role 'stakeholders' edits protected cells" in warning.message
    assert "domain:example.org" in warning.message and "sheet.share" in warning.hint
    shared_only = CONFIG.format(date_roles="editor_in_chief", title_roles="committee").replace(
        "tab: Calendar}", "tab: Calendar, share: [stakeholders]}"
    )
    assert parse_config(shared_only).warnings == []  # a domain that only reads: Drive grants it as is


def test_every_unknown_role_is_reported_at_its_line_with_a_hint() -> None:
    problems = problems_of(CONFIG.format(date_roles="editor_in_chef", title_roles="stakeholder, nobody"))
    by_path = {p.path: p for p in problems}
    assert set(by_path) == {
        "pairs[0].columns[0].editable_by[0]",
        "pairs[0].columns[1].editable_by[0]",
        "pairs[0].columns[1].editable_by[1]",
    }
    chef = by_path["pairs[0].columns[0].editable_by[0]"]
    assert (chef.line, "editor_in_chief" in chef.hint) == (10, True)
    assert (
        "defined: editor_in_chief, committee, stakeholders"
        in by_path["pairs[0].columns[1].editable_by[1]"].hint
    )


def test_a_bad_member_is_reported_with_the_other_problems() -> None:
    text = CONFIG.format(date_roles="editor_in_chief", title_roles="nobody").replace(
        "[Chief@Example.org]", "[chief]"
    )
    problems = problems_of(text)
    assert {p.path for p in problems} == {"roles.editor_in_chief[0]", "pairs[0].columns[1].editable_by[0]"}
    assert next(p for p in problems if p.path == "roles.editor_in_chief[0]").line == 2


ALL_AT_ONCE = """\
roles:
  editor_in_chief: [chief]
  committee: [group:ideas@example.org]
pairs:
  - name: social
    trello: {board: AbCdEfGh, lists: [Ideas, Scheduled]}
    sheet: {spreadsheet: sheet-1, tab: Calendar}
    sort_by: [nothing]
    columns:
      - {header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}
    approval: {column: Aproved, required_in: [Scheduled, Publishd]}
    intake:
      tab: Ideas
      list: Ideas
      editable_by: [comittee]
      columns:
        - {header: Idea, field: name}
"""


def test_every_problem_comes_out_in_one_report_each_at_its_line() -> None:
    # A bad member, a wrong sort_by and a wrong approval.column used to hide the unknown intake role (and
    # each other) until the first was fixed.
    problems = problems_of(ALL_AT_ONCE)
    assert [(p.path, p.line) for p in problems] == [
        ("roles.editor_in_chief[0]", 2),
        ("pairs[0].sort_by[0]", 8),
        ("pairs[0].approval.column", 11),
        ("pairs[0].approval.required_in[1]", 11),
        ("pairs[0].intake.editable_by[0]", 15),
    ]
    assert "did you mean 'committee'" in problems[-1].hint
    assert all(str(p).startswith(f"c.yaml:{p.line}:") for p in problems)


def test_a_role_used_nowhere_is_a_warning_not_an_error() -> None:
    config = parse_config(CONFIG.format(date_roles="editor_in_chief", title_roles="editor_in_chief"))
    assert [(w.path, w.line) for w in config.warnings] == [("roles.committee", 3), ("roles.stakeholders", 4)]
    assert "used nowhere" in config.warnings[0].message


def test_editable_by_needs_a_two_way_column() -> None:
    text = CONFIG.format(date_roles="committee", title_roles="stakeholders").replace(
        "field: due, two_way: true", "field: due"
    )
    problem = next(p for p in problems_of(text) if p.path.startswith("pairs[0].columns[0]"))
    assert "one-way" in problem.message and "add `two_way: true`" in problem.hint and problem.line == 10
