"""`sheet.protect` and `approval` in the YAML: defaults, a bare `off`, and approval's errors located."""

from __future__ import annotations

import pytest

from app.config.checks import check_against_board
from app.config.models import parse_config
from app.config.source import Problem
from app.errors import ConfigError

CONFIG = """\
roles:
  editor_in_chief: [chief@example.org]
pairs:
  - name: social
    trello: {{board: AbCdEfGh{lists}}}
    sheet: {{spreadsheet: sheet-1, tab: Calendar{protect}}}
    columns:
      - {{header: Status, field: list}}
      - {{header: Approved, field: "custom:Approved", two_way: true, editable_by: [editor_in_chief]}}
{approval}"""


def _config(protect: str = "", lists: str = "", approval: str = "") -> str:
    return CONFIG.format(protect=protect, lists=lists, approval=approval)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.yaml", {})
    return info.value.problems


@pytest.mark.parametrize(
    ("given", "mode"), [("", "lock"), (", protect: warn", "warn"), (", protect: off", "off")]
)
def test_protect_defaults_to_lock_and_a_bare_off_means_off(given: str, mode: str) -> None:
    assert parse_config(_config(protect=given), env={}).pairs[0].sheet.protect == mode


def test_protect_refuses_other_values() -> None:
    (problem,) = problems_of(_config(protect=", protect: yes"))
    assert problem.path == "pairs[0].sheet.protect"


def test_approval_is_read() -> None:
    config = parse_config(
        _config(approval="    approval: {column: Approved, required_in: [Scheduled]}\n"), env={}
    )
    approval = config.pairs[0].approval
    assert approval is not None and (approval.column, approval.required_in) == ("Approved", ["Scheduled"])


def test_approval_column_must_be_a_header() -> None:
    (problem,) = problems_of(_config(approval="    approval: {column: Aproved, required_in: [Scheduled]}\n"))
    assert problem.path == "pairs[0].approval.column"
    assert "Approved" in problem.message + problem.hint
    assert problem.line == 10


def test_approval_lists_must_be_among_the_pair_s_lists_when_set() -> None:
    text = _config(
        lists=", lists: [Drafting, Scheduled]",
        approval="    approval: {column: Approved, required_in: [Scheduled, Publshed]}\n",
    )
    (problem,) = problems_of(text)
    assert problem.path == "pairs[0].approval.required_in[1]"
    assert "Publshed" in problem.message


def test_approval_needs_at_least_one_list() -> None:
    (problem,) = problems_of(_config(approval="    approval: {column: Approved, required_in: []}\n"))
    assert problem.path == "pairs[0].approval.required_in"


def test_approval_against_the_board_needs_its_lists_and_a_checkbox() -> None:
    text = _config(approval="    approval: {column: Approved, required_in: [Scheduled, Publshed]}\n")
    pair = parse_config(text, env={}).pairs[0]
    board = {
        "lists": [{"name": "Scheduled"}, {"name": "Published"}],
        "customFields": [{"name": "Approved", "type": "text"}],
    }
    problems = {p.path: p for p in check_against_board(pair, board)}
    assert set(problems) == {"pairs[0].approval.required_in[1]", "pairs[0].approval.column"}
    assert "Published" in problems["pairs[0].approval.required_in[1]"].hint
    assert "not a checkbox" in problems["pairs[0].approval.column"].message
    board["customFields"] = [{"name": "Approved", "type": "checkbox"}]
    assert [p.path for p in check_against_board(pair, board)] == ["pairs[0].approval.required_in[1]"]
