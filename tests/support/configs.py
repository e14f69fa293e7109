"""YAML builders and problem finders the configuration tests share."""

from __future__ import annotations

import pytest

from app.config.models import parse_config
from app.config.source import Problem
from app.errors import BoardsheetError, ConfigError

# One valid pair: the smallest file every configuration test starts from.
GOOD = """\
pairs:
  - name: social
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: sheet-1, tab: Calendar}
    columns:
      - {header: Date, field: due}
      - {header: Title, field: name}
"""


def problems_of(text: str, env: dict[str, str] | None = None) -> list[Problem]:
    """Every problem `text` has (it must have some)."""
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.yaml", env or {})
    assert isinstance(info.value, BoardsheetError)
    return info.value.problems


def at(problems: list[Problem], path: str) -> Problem:
    """The first problem at `path` (there must be one)."""
    found = [p for p in problems if p.path == path]
    assert found, f"no problem at {path}: {[str(p) for p in problems]}"
    return found[0]


def pairs_yaml(accounts: dict[str, str], count: int) -> str:
    """`count` pairs, those named in `accounts` with a `sheet.account`."""
    lines = ["pairs:"]
    for i in range(count):
        name = f"team-{i:02}"
        account = f", account: {accounts[name]}" if name in accounts else ""
        lines += [
            f"  - name: {name}",
            "    trello: {board: AbCdEfGh}",
            f"    sheet: {{spreadsheet: s{i}, tab: Plan{account}}}",
            "    columns: [{header: Title, field: name}]",
        ]
    return "\n".join(lines) + "\n"
