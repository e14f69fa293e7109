"""`boardsheet calendar-url PAIR`: the URL to paste, or exit 2 saying what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.config.settings import env_names
from app.core.calendar_feed import feed_token

runner = CliRunner()
SECRET = "calendar-secret-0123456789abcdefghij"
CONFIG = """
pairs:
  - name: social
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: Calendar}
    columns: [{header: Title, field: name}]
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in env_names():
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "boardsheet.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_prints_the_feed_url(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    monkeypatch.setenv("BOARDSHEET_CALENDAR_SECRET", SECRET)
    result = runner.invoke(app, ["calendar-url", "social", "--config", str(config)])
    assert result.exit_code == 0, result.output
    token = feed_token(SECRET, "social")
    assert result.output.strip() == f"https://bs.example.org/calendar/social.ics?token={token}"


def test_says_what_is_missing(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    result = runner.invoke(app, ["calendar-url", "social", "--config", str(config)])
    assert result.exit_code == 2
    assert "BOARDSHEET_CALENDAR_SECRET" in result.output and "BOARDSHEET_PUBLIC_URL" not in result.output


def test_an_unknown_pair_exits_2(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    monkeypatch.setenv("BOARDSHEET_CALENDAR_SECRET", SECRET)
    result = runner.invoke(app, ["calendar-url", "socail", "--config", str(config)])
    assert result.exit_code == 2
    assert "social" in result.output


def test_without_a_public_url_it_says_what_the_url_is_for(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDSHEET_CALENDAR_SECRET", SECRET)
    result = runner.invoke(app, ["calendar-url", "social", "--config", str(config)])
    assert result.exit_code == 2
    # Not "to serve calendar feeds": the service serves them without it; the printed URL needs it.
    assert "to print the feed URL, set BOARDSHEET_PUBLIC_URL" in " ".join(result.output.split())
