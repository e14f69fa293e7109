"""`boardsheet check-config` and `boardsheet config-schema` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
import yaml
from typer.testing import CliRunner

from app.cli.demo import DEMO_CONFIG
from app.cli.main import app, main
from app.config.schema import config_schema
from app.config.settings import SettingsError
from tests.support.paths import ROOT

runner = CliRunner()


def test_check_config_ok() -> None:
    result = runner.invoke(app, ["check-config", str(ROOT / "config" / "example.yaml")])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "social-calendar" in result.output


def test_check_config_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "pairs:\n"
        "  - name: social\n"
        "    trello: {board: AbCdEfGh, archived: dorp}\n"
        "    sheet: {spreadsheet: s1, tab: T}\n"
        "    colums: [{header: Date, field: due}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check-config", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert f"{path}:3:41 pairs[0].trello.archived: Input should be 'drop' or 'keep', not 'dorp'" in lines
    assert f"{path}:5:5 pairs[0].colums: unknown key 'colums' (did you mean 'columns'?)" in lines
    assert f"2 problem(s) found in {path}" in lines
    assert "Traceback" not in result.output


def test_check_config_prints_warnings_but_passes(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "roles:\n"
        "  chief: [chief@example.org]\n"
        "pairs:\n"
        "  - name: social\n"
        "    trello: {board: AbCdEfGh}\n"
        "    sheet: {spreadsheet: s1, tab: T}\n"
        "    columns: [{header: Date, field: due}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check-config", str(path)])
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:2:3 roles.chief: the role 'chief' is used nowhere" in result.output
    as_json = json.loads(runner.invoke(app, ["check-config", "--json", str(path)]).output)
    assert [w["path"] for w in as_json["warnings"]] == ["roles.chief"]


def test_check_config_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-config", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "no configuration file" in result.output and "named on the command line" in result.output


def test_config_schema_is_valid_and_accepts_the_examples() -> None:
    result = runner.invoke(app, ["config-schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in (ROOT / "config" / "example.yaml", DEMO_CONFIG):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], path
    bad: dict[str, Any] = yaml.safe_load((ROOT / "config" / "example.yaml").read_text(encoding="utf-8"))
    bad["pairs"][0]["colums"] = bad["pairs"][0].pop("columns")
    bad["pairs"][0]["trello"]["archived"] = "dorp"
    assert len(list(validator.iter_errors(bad))) >= 2


def test_main_turns_unhandled_boardsheet_errors_into_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = typer.Typer(pretty_exceptions_enable=False)

    @failing.command()
    def boom() -> None:
        raise SettingsError("invalid environment:\n  TRELLO_TOKEN: is not set")

    @failing.command()
    def other() -> None:  # a second command keeps Typer from collapsing to a single-command app
        pass

    monkeypatch.setattr("app.cli.main.app", failing)
    monkeypatch.setattr("sys.argv", ["boardsheet", "boom"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error: invalid environment" in err
    assert "Traceback" not in err
