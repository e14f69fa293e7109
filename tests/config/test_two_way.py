"""Two-way columns and the conflicts policy in the YAML: what is accepted, what is refused and where."""

from __future__ import annotations

import pytest

from app.config.fields import ONE_WAY_FIELDS, TWO_WAY_FIELDS
from app.config.models import parse_config
from app.config.policy import policy_of
from tests.support.configs import GOOD, at, problems_of


def _with(column: str, extra: str = "") -> str:
    return GOOD + f"      - {column}\n" + extra


@pytest.mark.parametrize("field", [*TWO_WAY_FIELDS, "custom:Channel"])
def test_two_way_is_accepted_for_writable_fields(field: str) -> None:
    pair = parse_config(_with(f'{{header: X, field: "{field}", two_way: true}}'), "c.yaml", {}).pairs[0]
    assert pair.columns[-1].two_way
    assert policy_of(pair).columns[-1].two_way


@pytest.mark.parametrize("field", sorted(ONE_WAY_FIELDS))
def test_two_way_is_refused_with_file_and_line_for_computed_fields(field: str) -> None:
    problems = problems_of(_with(f"{{header: X, field: {field}, two_way: true}}"))
    problem = at(problems, "pairs[0].columns[2].two_way")
    assert (problem.file, problem.line) == ("c.yaml", 8)
    assert f"'{field}' cannot be two-way" in problem.message


def test_columns_are_one_way_and_conflicts_go_to_trello_by_default() -> None:
    pair = parse_config(GOOD, "c.yaml", {}).pairs[0]
    assert not any(c.two_way for c in pair.columns)
    assert pair.conflicts == "trello" and policy_of(pair).conflicts == "trello"


def test_conflicts_takes_sheet_and_refuses_anything_else() -> None:
    text = GOOD.replace("    columns:\n", "    conflicts: sheet\n    columns:\n")
    assert policy_of(parse_config(text, "c.yaml", {}).pairs[0]).conflicts == "sheet"
    refused = problems_of(text.replace("conflicts: sheet", "conflicts: stakeholders"))
    problem = at(refused, "pairs[0].conflicts")
    assert problem.line == 5
