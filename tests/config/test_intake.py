"""The `intake:` block: its own tab, a name column, writable fields; its list checked against the board."""

from __future__ import annotations

import pytest

from app.config.checks import check_against_board
from app.config.models import ConfigError, parse_config
from app.config.policy import intake_policy_of

PAIR = """
  - name: {name}
    trello: {{board: abcdefgh}}
    sheet: {{spreadsheet: 1AbCdEfGhIjKlMnOpQrStUvWxYz, tab: {tab}}}
    columns: [{{header: Title, field: name}}]
    intake:
      tab: Ideas
      list: Ideas
      editable_by: [committee, editor_in_chief]
      columns:
{columns}"""
COLUMNS = """        - {header: Idea, field: name}
        - {header: Why, field: desc}
        - {header: Network, field: labels}
        - {header: Publish on, field: due}
"""


ROLES = "roles:\n  committee: [group:ideas@example.org]\n  editor_in_chief: [chief@example.org]\n"


def yaml(columns: str = COLUMNS, tab: str = "Calendar", name: str = "cal") -> str:
    return ROLES + "pairs:" + PAIR.format(name=name, tab=tab, columns=columns)


def problems(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, env={})
    return str(caught.value)


def test_an_intake_is_read_with_its_defaults_and_becomes_the_cores_policy() -> None:
    pair = parse_config(yaml(), env={}).pairs[0]
    assert pair.intake is not None and pair.intake.editable_by == ["committee", "editor_in_chief"]
    policy = intake_policy_of(pair)
    assert policy is not None
    assert [c.header for c in policy.owned()] == [
        "Idea",
        "Why",
        "Network",
        "Publish on",
        "Card ID",
        "Link",
        "List",
    ]
    assert all(c.two_way for c in policy.columns)


def test_the_intake_needs_a_name_column() -> None:
    said = problems(yaml("        - {header: Why, field: desc}\n"))
    assert "pairs[0].intake.columns" in said and "a column for the card's name" in said


@pytest.mark.parametrize("field", ["url", "id", "list", "checklist"])
def test_an_intake_column_must_set_a_writable_field(field: str) -> None:
    said = problems(yaml(COLUMNS + f"        - {{header: Other, field: {field}}}\n"))
    assert f"an intake column cannot set '{field}'" in said


def test_an_intake_header_cannot_be_a_column_boardsheet_writes() -> None:
    assert "used twice" in problems(yaml(COLUMNS + "        - {header: Card ID, field: start}\n"))


def test_the_intake_tab_is_not_the_synced_tab() -> None:
    assert "intake tab 'Ideas' is already the synced tab" in problems(yaml(tab="Ideas"))


def test_two_pairs_cannot_share_an_intake_tab() -> None:
    text = yaml() + PAIR.format(name="other", tab="Other", columns=COLUMNS)
    assert "pairs 'cal' and 'other' write the same tab" in problems(text)


def test_the_intakes_list_and_custom_fields_are_checked_against_the_board() -> None:
    pair = parse_config(
        yaml(COLUMNS + '        - {header: Channel, field: "custom:Chanel"}\n'), env={}
    ).pairs[0]
    board = {
        "lists": [{"name": "Idea"}, {"name": "Drafting"}],
        "customFields": [{"name": "Channel", "type": "list"}],
    }
    said = [f"{p.path}: {p.message} ({p.hint})" for p in check_against_board(pair, board)]
    assert (
        said[0].startswith("pairs[0].intake.list: the board has no list named 'Ideas'") and "Idea" in said[0]
    )
    assert said[1].startswith(
        "pairs[0].intake.columns[4].field: the board has no custom field named 'Chanel'"
    )


def test_the_intakes_roles_are_checked_like_the_columns() -> None:
    said = problems(yaml().replace("  editor_in_chief: [chief@example.org]\n", ""))
    assert "pairs[0].intake.editable_by[1]: unknown role 'editor_in_chief'" in said
