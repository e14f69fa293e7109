"""Several Google service accounts: the setting's list, unknown names located in the YAML, the spread."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config.accounts import assign_accounts, check_accounts, parse_accounts
from app.config.models import parse_config
from app.config.settings import Settings, SettingsError, get_settings
from tests.support.configs import pairs_yaml


def test_the_setting_lists_named_key_files() -> None:
    assert parse_accounts(" ops=/keys/ops.json,\nbulk = /keys/bulk.json ,") == {
        "ops": Path("/keys/ops.json"),
        "bulk": Path("/keys/bulk.json"),
    }


def test_bad_entries_are_all_named() -> None:
    with pytest.raises(ValueError, match=r"'/keys/a.json' is not NAME=KEY_FILE.*'ops' is named twice"):
        parse_accounts("/keys/a.json, ops=/a.json, ops=/b.json")


def test_a_malformed_setting_is_refused_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_GOOGLE_ACCOUNTS", "ops:/keys/ops.json")
    with pytest.raises(SettingsError, match=r"BOARDSHEET_GOOGLE_ACCOUNTS: .*not NAME=KEY_FILE"):
        get_settings()
    monkeypatch.delenv("BOARDSHEET_GOOGLE_ACCOUNTS")
    assert Settings(BOARDSHEET_GOOGLE_ACCOUNTS="ops=/k.json").accounts == {"ops": Path("/k.json")}
    assert Settings().accounts == {}


def test_an_unknown_account_is_a_problem_at_its_line() -> None:
    config = parse_config(pairs_yaml({"team-01": "opps", "team-02": "bulk"}, 3), "c.yaml", {})
    problems = check_accounts(config.pairs, ["ops", "bulk"])
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("c.yaml", 8, "no Google service account named 'opps'")
    ]
    assert "ops" in problems[0].hint
    (alone,) = check_accounts(config.pairs[1:2], [])
    assert "BOARDSHEET_GOOGLE_ACCOUNTS" in alone.hint


def test_pairs_spread_evenly_around_explicit_ones() -> None:
    config = parse_config(pairs_yaml({"team-00": "a", "team-01": "a"}, 8), "c.yaml", {})
    chosen = assign_accounts(config.pairs, ["a", "b"])
    assert chosen["team-00"] == chosen["team-01"] == "a"
    assert sorted(chosen.values()).count("a") == sorted(chosen.values()).count("b") == 4
    reordered = assign_accounts(list(reversed(config.pairs)), ["a", "b"])
    assert reordered == chosen  # by name, whatever the order in the file
    assert assign_accounts(config.pairs, []) == {}


def test_drive_uses_the_default_key_file_else_the_first_account() -> None:
    accounts = "ops=/keys/ops.json,bulk=/keys/bulk.json"
    assert Settings(BOARDSHEET_GOOGLE_ACCOUNTS=accounts).drive_key_file == Path("/keys/ops.json")
    both = Settings(BOARDSHEET_GOOGLE_ACCOUNTS=accounts, GOOGLE_APPLICATION_CREDENTIALS="/keys/main.json")
    assert both.drive_key_file == Path("/keys/main.json")
    assert Settings().drive_key_file is None
