"""`boardsheet apps-script PAIR`: a script whose hints the service accepts, or exit 2 naming what lacks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.config.models import parse_config
from app.config.settings import env_names
from app.runtime.sheet_hints import SheetHints, pair_key
from app.runtime.tracker import RunTracker

runner = CliRunner()
SECRET = "hint-secret-for-tests"
CONFIG = """
pairs:
  - name: social-calendar
    trello: {board: AbCdEfGh}
    sheet: {spreadsheet: s1, tab: "Calendar 2027"}
    columns: [{header: Title, field: name}]
"""
# Runs the printed script's function under Node with Apps Script's objects stubbed; prints the fetch.
NODE_HARNESS = """
const crypto = require("crypto");
const Utilities = {Charset: {UTF_8: "utf8"}, computeHmacSha256Signature: (value, key, charset) =>
  Array.from(crypto.createHmac("sha256", Buffer.from(key, charset))
    .update(Buffer.from(value, charset)).digest())
    .map((b) => (b > 127 ? b - 256 : b))};  // Apps Script answers signed bytes
let sent = null;
const UrlFetchApp = {fetch: (url, options) => { sent = {url, options}; }};
const sheet = {getName: () => "Calendar 2027", getSheetId: () => 0};
const e = {range: {getSheet: () => sheet, getA1Notation: () => "C4"}, source: {getId: () => "s1"},
  user: {getEmail: () => "chief@example.org"}};
%s
%s(e);
console.log(JSON.stringify(sent));
"""


class Requests:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        self.asked.append(name)
        return True


class Notes:
    def __init__(self) -> None:
        self.notes: list[tuple[str, str, str]] = []

    def note_sheet_edit(self, pair: str, editor: str, sheet_range: str) -> None:
        self.notes.append((pair, editor, sheet_range))


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in env_names():
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "boardsheet.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def printed(config: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    monkeypatch.setenv("BOARDSHEET_SHEETS_HINT_SECRET", SECRET)
    result = runner.invoke(app, ["apps-script", "social-calendar", "--config", str(config)])
    assert result.exit_code == 0, result.output
    return result.output


def test_prints_the_pairs_script_with_its_key_address_and_setup_steps(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = printed(config, monkeypatch)
    assert '"https://bs.example.org/webhooks/sheets?pair=social-calendar"' in script
    assert json.dumps(pair_key(SECRET, "social-calendar")) in script
    assert SECRET not in script  # only the pair's derived key leaves the service
    assert "function boardsheetOnEdit_social_calendar(e)" in script
    assert '"On edit"' in script and "Extensions > Apps Script" in script


@pytest.mark.parametrize("unset", ["BOARDSHEET_PUBLIC_URL", "BOARDSHEET_SHEETS_HINT_SECRET"])
def test_exit_2_naming_what_is_missing(config: Path, monkeypatch: pytest.MonkeyPatch, unset: str) -> None:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    monkeypatch.setenv("BOARDSHEET_SHEETS_HINT_SECRET", SECRET)
    monkeypatch.delenv(unset)
    result = runner.invoke(app, ["apps-script", "social-calendar", "--config", str(config)])
    assert result.exit_code == 2
    assert unset in result.output


def test_an_unknown_pair_is_exit_2(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://bs.example.org")
    monkeypatch.setenv("TRELLO_APP_SECRET", SECRET)
    assert runner.invoke(app, ["apps-script", "nope", "--config", str(config)]).exit_code == 2


@pytest.mark.http  # a subprocess
@pytest.mark.skipif(shutil.which("node") is None, reason="runs the script under Node.js")
def test_the_scripts_hint_is_accepted_by_the_service(
    config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = printed(config, monkeypatch)
    function = re.search(r"function (\w+)\(e\)", script)
    assert function is not None
    harness = tmp_path / "run.js"
    harness.write_text(NODE_HARNESS % (script, function.group(1)), encoding="utf-8")
    ran = subprocess.run(["node", str(harness)], capture_output=True, text=True, timeout=60, check=True)
    sent = json.loads(ran.stdout)
    assert sent["url"] == "https://bs.example.org/webhooks/sheets?pair=social-calendar"
    body = sent["options"]["payload"].encode()
    signature = sent["options"]["headers"]["X-Boardsheet-Signature"]
    runs, notes = Requests(), Notes()
    hints = SheetHints(parse_config(CONFIG), SECRET, notes, runs, RunTracker(), time.time)
    assert hints.accept(body, signature, pair="social-calendar") == "accepted"
    assert runs.asked == ["social-calendar"]
    assert notes.notes == [("social-calendar", "chief@example.org", "C4")]
