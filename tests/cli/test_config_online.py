"""`boardsheet check-config --online` against both local emulators."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.trello_emulator import TrelloEmulator

pytestmark = pytest.mark.http  # both emulators over loopback

runner = CliRunner()


@pytest.fixture
def env(
    shared_trello_emulator: TrelloEmulator,
    shared_sheets_emulator: SheetsEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[str, str]:
    """The environment `check-config --online` reads, pointing at both emulators: their URLs."""
    servers = shared_trello_emulator.url, shared_sheets_emulator.url
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "BOARDSHEET_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRELLO_API_KEY", "emulator-key")
    monkeypatch.setenv("TRELLO_TOKEN", "token-ops")
    monkeypatch.setenv("TRELLO_API_URL", servers[0])
    monkeypatch.setenv("GOOGLE_SHEETS_API_URL", servers[1])
    return servers


def write_config(tmp_path: Path, board: str, spreadsheet: str, lists: str) -> Path:
    path = tmp_path / "pairs.yaml"
    path.write_text(
        "pairs:\n"
        "  - name: social\n"
        f"    trello: {{board: {board}, lists: [{lists}]}}\n"
        f"    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar}}\n"
        "    columns:\n"
        "      - {header: Title, field: name}\n"
        '      - {header: Channel, field: "custom:Channel"}\n',
        encoding="utf-8",
    )
    return path


def test_online_check_reports_what_the_board_and_spreadsheet_lack(
    env: tuple[str, str], tmp_path: Path
) -> None:
    trello = TrelloConnector("emulator-key", "token-ops", api_url=env[0])
    board = trello.create_board("Social")
    trello.create_list(board["id"], "Review")
    trello.create_custom_field(board["id"], "Channel", "text")
    sheets = SheetsConnector(emulator_credentials(), api_url=env[1])
    spreadsheet = sheets.create_spreadsheet("Calendar", ["Calendar"])

    good = write_config(tmp_path, board["id"], spreadsheet, "Review")
    result = runner.invoke(app, ["check-config", "--online", str(good)])
    assert result.exit_code == 0, result.output
    assert "checked against Trello and Google Sheets" in result.output

    bad = write_config(tmp_path, board["id"], spreadsheet, "Reveiw")
    result = runner.invoke(app, ["check-config", "--online", str(bad)])
    assert result.exit_code == 2
    column = bad.read_text(encoding="utf-8").splitlines()[2].index("Reveiw") + 1
    expected = f"{bad}:3:{column} pairs[0].trello.lists[0]: the board has no list named 'Reveiw'"
    assert f"{expected} (did you mean 'Review'?)" in result.output.splitlines()


def test_online_check_without_credentials_is_a_clear_error(
    env: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRELLO_TOKEN")
    path = write_config(tmp_path, "AbCdEfGh", "s1", "Review")
    result = runner.invoke(app, ["check-config", "--online", str(path)])
    assert result.exit_code == 2
    assert "--online needs TRELLO_TOKEN" in result.output
    assert "Traceback" not in result.output
