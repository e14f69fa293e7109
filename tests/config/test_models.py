"""load_config: every problem at once, located and hinted; the example file loads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.cli.demo import DEMO_CONFIG
from app.config.models import Config, load_config, parse_config
from app.errors import ConfigError
from tests.support.configs import GOOD, at, problems_of
from tests.support.paths import ROOT


def test_good_file_defaults() -> None:
    config = parse_config(GOOD, "c.yaml", {})
    pair = config.pair("social")
    assert pair.timezone == "UTC"
    assert pair.trello.archived == "drop"
    assert pair.sheet.key_header == "Card ID"
    assert pair.max_deletes == "25%"
    assert pair.reconcile_every == timedelta(minutes=5)
    assert pair.changes_tab is None
    assert pair.sort_by is None
    assert pair.source is not None and pair.source.file == "c.yaml"


def test_bad_file_reports_every_problem_with_line_and_column() -> None:
    text = """\
pairs:
  - name: Social Calendar
    trello:
      board: AbCdEfGh
      archived: dorp
    sheet:
      spreadsheet: s1
    timezone: Europe/Pariss
    max_deletes: lots
    reconcile_every: 5 minutes
    colums:
      - {header: Date, field: due}
  - name: second
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: Other}
    columns:
      - {header: Date, field: dew}
"""
    problems = problems_of(text)
    where = {p.path: (p.line, p.column) for p in problems}
    assert where == {
        "pairs[0].name": (2, 11),
        "pairs[0].trello.archived": (5, 17),
        "pairs[0].sheet.tab": (7, 7),
        "pairs[0].timezone": (8, 15),
        "pairs[0].max_deletes": (9, 18),
        "pairs[0].reconcile_every": (10, 22),
        "pairs[0].colums": (11, 5),
        "pairs[1].columns[0].field": (17, 31),
    }
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert all(p.file == "c.yaml" for p in problems)


def test_did_you_mean_for_keys_and_fields() -> None:
    text = GOOD.replace("columns:", "colums:").replace("tab: Calendar", "tabb: Calendar")
    problems = problems_of(text)
    colums = at(problems, "pairs[0].colums")
    assert colums.message == "unknown key 'colums'"
    assert colums.hint == "did you mean 'columns'?"
    assert str(colums) == "c.yaml:5:5 pairs[0].colums: unknown key 'colums' (did you mean 'columns'?)"
    assert at(problems, "pairs[0].sheet.tabb").hint == "did you mean 'tab'?"
    # The unknown key already names the missing one: no second "missing key 'columns'" problem.
    assert not any(p.path == "pairs[0].columns" for p in problems)
    field = at(problems_of(GOOD.replace("field: name", "field: nmae")), "pairs[0].columns[1].field")
    assert field.hint == "did you mean 'name'?"


def test_missing_key_points_at_parent_with_hint() -> None:
    problem = at(problems_of(GOOD.replace(", tab: Calendar", "")), "pairs[0].sheet.tab")
    assert problem.message == "missing key 'tab'"
    assert (problem.line, problem.column) == (4, 12)
    assert problem.hint.startswith("add `tab:`")


def test_custom_fields_and_every_plain_field_accepted() -> None:
    from app.config.fields import FIELDS

    columns = "".join(f"      - {{header: H{i}, field: {f}}}\n" for i, f in enumerate(FIELDS))
    columns += '      - {header: Channel, field: "custom:Channel"}\n'
    text = GOOD.split("    columns:\n", maxsplit=1)[0] + "    columns:\n" + columns
    pair = parse_config(text, "c.yaml", {}).pairs[0]
    assert [c.custom_name for c in pair.columns][-1] == "Channel"
    assert pair.columns[0].custom_name is None
    assert at(problems_of(text.replace('"custom:Channel"', '"custom:"')), "pairs[0].columns[14].field")


def test_duplicate_header_and_key_header_collision() -> None:
    dup = problems_of(GOOD.replace("header: Title", "header: Date"))
    assert at(dup, "pairs[0].columns[1].header").line == 7
    clash = problems_of(GOOD.replace("header: Title", "header: Card ID"))
    assert at(clash, "pairs[0].sheet.key_header").message.startswith("the key column's header 'Card ID'")


def test_pair_names_unique_and_slug_like() -> None:
    pair = GOOD.split("pairs:\n")[1]
    twice = "pairs:\n" + pair + pair.replace("tab: Calendar", "tab: Other")
    assert at(problems_of(twice), "pairs[1].name").message == "two pairs are named 'social'"
    same_tab = "pairs:\n" + pair + pair.replace("name: social", "name: other")
    assert "same tab" in at(problems_of(same_tab), "pairs[1].sheet.tab").message
    assert at(problems_of(GOOD.replace("name: social", "name: So/cial")), "pairs[0].name")


def test_every_cross_check_of_a_pair_and_of_the_pairs_is_reported_at_once() -> None:
    pair = GOOD.split("pairs:\n")[1]
    crossed = pair.replace("    columns:", "    sort_by: [Nope]\n    changes_tab: Calendar\n    columns:")
    crossed = crossed.replace("header: Title", "header: Card ID")
    text = "pairs:\n" + crossed + pair + pair.replace("name: social", "name: other")
    problems = problems_of(text)
    assert {p.path for p in problems} == {
        "pairs[0].sort_by[0]",
        "pairs[0].changes_tab",
        "pairs[0].sheet.key_header",
        "pairs[2].sheet.tab",  # the valid pairs are still compared with each other (not with the failing one)
    }
    fixed = problems_of("pairs:\n" + pair + pair + pair.replace("name: social", "name: other"))
    assert {(p.path, p.message.split(" ")[0]) for p in fixed} == {
        ("pairs[1].name", "two"),
        ("pairs[1].sheet.tab", "pairs"),
        ("pairs[2].sheet.tab", "pairs"),
    }


def test_env_references_resolve_and_missing_ones_are_problems() -> None:
    text = GOOD.replace("board: AbCdEfGh", "board: {$env: BOARD}")
    assert parse_config(text, "c.yaml", {"BOARD": "XyZ12345"}).pairs[0].trello.board == "XyZ12345"
    missing = problems_of(text)
    assert len(missing) == 1  # no second "should be text" problem for the same value
    assert missing[0].message == "environment variable BOARD is not set"
    assert (missing[0].line, missing[0].column) == (3, 21)
    with_default = GOOD.replace("board: AbCdEfGh", "board: {$env: BOARD, default: Dflt1234}")
    assert parse_config(with_default, "c.yaml", {}).pairs[0].trello.board == "Dflt1234"
    bad_ref = GOOD.replace("board: AbCdEfGh", "board: {$env: BOARD, other: 1}")
    assert "other" in problems_of(bad_ref, {"BOARD": "x"})[0].hint


@pytest.mark.parametrize("key", ["token", "api_key", "app-secret", "password", "credentials", "TRELLO_TOKEN"])
def test_secret_named_keys_are_refused(key: str) -> None:
    text = GOOD.replace("trello: {board: AbCdEfGh}", f"trello: {{board: AbCdEfGh, {key}: xyz}}")
    problems = problems_of(text)
    assert len(problems) == 1
    assert "secret" in problems[0].message
    assert "environment" in problems[0].hint
    assert "xyz" not in str(problems[0])


def test_key_header_is_not_taken_for_a_secret() -> None:
    text = GOOD.replace("tab: Calendar", "tab: Calendar, key_header: Id")
    assert parse_config(text, "c.yaml", {}).pairs[0].sheet.key_header == "Id"


def test_urls_are_reduced_to_ids() -> None:
    text = GOOD.replace("board: AbCdEfGh", "board: https://trello.com/b/AbCdEfGh/social-calendar").replace(
        "spreadsheet: sheet-1", "spreadsheet: https://docs.google.com/spreadsheets/d/1Ab_c-D/edit#gid=0"
    )
    pair = parse_config(text, "c.yaml", {}).pairs[0]
    assert (pair.trello.board, pair.sheet.spreadsheet) == ("AbCdEfGh", "1Ab_c-D")


def test_values_sort_and_limits() -> None:
    text = GOOD.replace(
        "    columns:",
        "    sort_by: [-Title, due]\n    max_deletes: 10%\n    reconcile_every: 30s\n    columns:",
    )
    pair = parse_config(text, "c.yaml", {}).pairs[0]
    assert pair.sort_by == ["-Title", "due"]
    assert pair.max_deletes == "10%"
    assert pair.reconcile_every == timedelta(seconds=30)
    counted = parse_config(GOOD.replace("    columns:", "    max_deletes: 3\n    columns:"), "c", {})
    assert counted.pairs[0].max_deletes == 3
    single = parse_config(GOOD.replace("    columns:", "    sort_by: -due\n    columns:"), "c", {})
    assert single.pairs[0].sort_by == ["-due"]
    unknown = problems_of(GOOD.replace("    columns:", "    sort_by: Dtae\n    columns:"))
    assert at(unknown, "pairs[0].sort_by[0]").hint == "did you mean 'Date'?"
    # The sort runs on sheet columns: a field no column shows cannot order the rows.
    unmapped = problems_of(GOOD.replace("    columns:", "    sort_by: position\n    columns:"))
    assert at(unmapped, "pairs[0].sort_by[0]").hint.startswith("add a column")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("pairs: [\n", "this is not valid YAML"),
        ("pairs: []\n", "needs at least one entry"),
        ("pairs:\n  - name: a\n    name: b\n", "key 'name' appears twice"),
    ],
)
def test_degenerate_files(text: str, message: str) -> None:
    assert any(p.message.startswith(message) for p in problems_of(text))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "absent.yaml")
    assert info.value.problems[0].message.startswith("cannot read the file")


def test_example_and_demo_files_load() -> None:
    example = load_config(ROOT / "config" / "example.yaml", env={})
    assert isinstance(example, Config)
    assert example.pairs[0].changes_tab == "Changes"
    env = {"BOARDSHEET_DEMO_BOARD": "AbCdEfGh", "BOARDSHEET_DEMO_SPREADSHEET": "demo-sheet"}
    demo = load_config(DEMO_CONFIG, env=env)
    assert demo.pairs[0].trello.board == "AbCdEfGh"
