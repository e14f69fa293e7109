"""What every command shares: help screens as users expect, shell completion, one way to find the config,
.env read under the real environment, the state store in the documented data directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shellingham
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from app.cli.lazy import LazyGroup, load
from app.cli.main import app
from app.config.settings import Settings, data_dir

runner = CliRunner()
CONFIG = """
pairs:
  - name: alpha
    trello: {board: 5f1c0ffee0ddba11cafe0001}
    sheet: {spreadsheet: sheet1, tab: Calendar}
    columns: [{header: Title, field: name}]
"""


@pytest.mark.parametrize("words", [["sync"], ["plan"], ["check-config"], ["pause"], ["approve"], ["status"]])
def test_help_shows_click_metavars_and_bare_flags(words: list[str]) -> None:
    shown = runner.invoke(app, [*words, "-h"]).output
    assert "<bool>" not in shown and "<str>" not in shown and "<path>" not in shown
    assert "-c" in shown and "FILE" in shown
    if words == ["sync"]:
        assert "[PAIR]" in shown and "TEXT" in shown
    if words == ["approve"]:
        assert "approve [OPTIONS] PLAN_ID" in shown


def _every_command() -> list[list[str]]:
    """The words of every command and subcommand, the bare `boardsheet` first."""
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    words: list[list[str]] = [[]]
    for name in group.list_commands(None):  # the lazy ones too: `group.commands` holds only loaded ones
        words.append([name])
        command = group.commands.get(name) or load(name, group.lazy[name])
        if isinstance(command, TyperGroup):
            words += [[name, sub] for sub in command.commands]
    assert len(words) > 15
    return words


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_no_help_screen_cuts_an_option_name_at_80_columns(words: list[str]) -> None:
    # Rich shrinks a help table's columns to fit and ends what does not fit with "…": a name cut so is
    # an option nobody can type (`emulate -h` showed "--rate-limit-ra…" before).
    shown = runner.invoke(app, [*words, "-h"], env={"COLUMNS": "80"}, terminal_width=80).output
    assert "Usage:" in shown
    assert [line for line in shown.splitlines() if "…" in line] == []
    # A required argument as Click shows it (`restore [OPTIONS] PAIR`), not in Typer 0.29's braces.
    assert "{" not in next(line for line in shown.splitlines() if "Usage:" in line)
    assert re.search(r"<(bool|str|int|float|path)>", shown) is None  # TEXT, INTEGER, PATH; flags bare


def test_shell_completion_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = runner.invoke(app, ["-h"]).output
    assert "--install-completion" in shown and "--show-completion" in shown
    # Typer completes for the shell it detects among the test's parents: under `make`'s /bin/sh that is
    # sh, which it does not support. A user's bash, then:
    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("bash", "/bin/bash"))
    script = runner.invoke(app, ["--show-completion"], prog_name="boardsheet")
    assert script.exit_code == 0, script.output
    assert "_boardsheet_completion" in script.output


def test_check_config_finds_the_config_like_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOARDSHEET_CONFIG", raising=False)
    missing = runner.invoke(app, ["check-config"])
    assert missing.exit_code == 2
    assert "BOARDSHEET_CONFIG unset, so ./boardsheet.yaml" in missing.output
    (tmp_path / "boardsheet.yaml").write_text(CONFIG)
    assert runner.invoke(app, ["check-config"]).exit_code == 0  # ./boardsheet.yaml
    other = tmp_path / "other.yaml"
    other.write_text(CONFIG.replace("alpha", "gamma"))
    by_env = runner.invoke(app, ["check-config"], env={"BOARDSHEET_CONFIG": str(other)})
    assert by_env.exit_code == 0 and "gamma" in by_env.output
    by_option = runner.invoke(app, ["check-config", "-c", str(other), "--json"])
    assert by_option.exit_code == 0 and '"name": "gamma"' in by_option.output
    gone = runner.invoke(app, ["status"], env={"BOARDSHEET_CONFIG": str(tmp_path / "gone.yaml")})
    assert gone.exit_code == 2 and f"BOARDSHEET_CONFIG={tmp_path / 'gone.yaml'}" in gone.output


def test_dotenv_is_read_and_never_overrides_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TRELLO_API_KEY=from-dotenv\nTRELLO_TOKEN=dotenv-token\nCHANNEL=Paid\n")
    monkeypatch.delenv("TRELLO_API_KEY", raising=False)
    monkeypatch.setenv("TRELLO_TOKEN", "real-token")
    settings = Settings()
    assert settings.trello_api_key is not None and settings.trello_api_key.get_secret_value() == "from-dotenv"
    assert settings.trello_token is not None and settings.trello_token.get_secret_value() == "real-token"
    assert Settings.environ()["CHANNEL"] == "Paid"  # for $env references in the YAML too


def test_the_default_state_store_lives_in_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("BOARDSHEET_DATABASE_URL", raising=False)
    assert data_dir() == tmp_path / "xdg" / "boardsheet"
    assert Settings().database_url == f"sqlite:///{tmp_path / 'xdg' / 'boardsheet' / 'boardsheet.db'}"
    (tmp_path / "boardsheet.yaml").write_text(CONFIG)
    assert runner.invoke(app, ["pause", "alpha"]).exit_code == 0
    assert (tmp_path / "xdg" / "boardsheet" / "boardsheet.db").is_file()
    assert not (tmp_path / "boardsheet.db").exists()  # not the working directory by surprise


def test_every_command_maps_a_failure_to_the_documented_exit_code() -> None:
    from app.cli.common import exit_for
    from app.config.settings import SettingsError
    from app.errors import ConfigError, StoreError, UnknownPairError
    from connectors.errors import AuthError, Transient

    bad_usage = [
        AuthError("refused", service="trello"),  # refused credentials: bad configuration, like missing ones
        SettingsError("set TRELLO_TOKEN to reach Trello"),
        ConfigError([]),
        UnknownPairError("nope", ["alpha"]),
    ]
    assert [exit_for(exc) for exc in bad_usage] == [2, 2, 2, 2]
    assert [exit_for(Transient("down", service="sheets")), exit_for(StoreError("down"))] == [1, 1]
