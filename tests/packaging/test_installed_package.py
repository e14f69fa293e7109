"""boardsheet as users install it: the Dockerfile's plain `pip install` (no extras) in a fresh venv, every
command driven through the installed console script, out of reach of the source tree and the dev extras.
"""

from __future__ import annotations

import fnmatch
import json
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import typer

from app import __version__
from app.cli.lazy import load
from app.cli.main import app as cli
from tests.support.dockerfile_build import ROOT, context_copies, stage
from tests.support.installed_venv import Running, Venv, install

# Installing every runtime dependency from the index takes a minute or two; the commands add one more.
pytestmark = [pytest.mark.http, pytest.mark.timeout(1500)]

EMULATOR_KEY = "emulator-key"
EMULATOR_TOKEN = "token-ops"
POLL_SECONDS = 90.0


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """One install per session: slow, and every test here only reads it."""
    return install(tmp_path_factory.mktemp("installed"))


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    """The stdout of a finished command that must have exited 0."""
    assert result.returncode == 0, (
        f"exit {result.returncode}\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    return result.stdout


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and sub-command of the CLI (a group has `commands`), as the words that name it."""
    paths = [prefix]
    subs = dict(getattr(command, "commands", {}))
    for name, spec in getattr(command, "lazy", {}).items():  # the top group imports these when they run
        subs.setdefault(name, load(name, spec))
    for name, sub in sorted(subs.items()):
        paths += _command_paths(sub, (*prefix, name))
    return paths


def test_the_installed_package_is_not_the_source_tree(venv: Venv) -> None:
    where = _ok(
        venv.run(venv.python, "-c", "import app, connectors; print(app.__file__, connectors.__file__)")
    )
    assert all(Path(p).is_relative_to(venv.root) for p in where.split()), where


def test_version_is_the_single_version(venv: Venv) -> None:
    metadata = _ok(
        venv.run(venv.python, "-c", "import importlib.metadata as m; print(m.version('boardsheet'))")
    )
    assert metadata.strip() == __version__
    for flag in ("--version", "-V"):
        assert _ok(venv.run(venv.boardsheet, flag)).strip() == f"boardsheet {__version__}"


def test_h_is_help_on_every_command_and_python_m_app_runs_the_cli(venv: Venv) -> None:
    for flag in ("-h", "--help"):
        assert "check-config" in _ok(venv.run(venv.boardsheet, flag))
    module = _ok(venv.run(venv.python, "-m", "app", "--help"))
    assert "check-config" in module and "demo" in module
    paths = _command_paths(typer.main.get_command(cli))
    assert ("sync",) in paths and ("webhooks", "list") in paths
    # Every command's -h in one process of the venv: a console script start per command costs seconds.
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from app.cli.main import app\n"
        "for path in sys.argv[1:]:\n"
        "    shown = CliRunner().invoke(app, [*path.split(), '-h'])\n"
        "    assert shown.exit_code == 0 and 'Usage: ' in shown.output and '--help' in shown.output, path\n"
        "    print('ok', path)\n"
    )
    shown = _ok(venv.run(venv.python, "-c", script, *(" ".join(p) for p in paths if p)))
    assert shown.count("ok ") == len(paths) - 1


def test_every_module_imports_without_the_dev_extras(venv: Venv) -> None:
    script = (
        "import importlib, pkgutil, app, connectors\n"
        "for pkg in (app, connectors):\n"
        "    for found in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        # Alembic runs env.py itself, inside a migration context.\n"
        "        if found.name != 'app.store.migrations.env':\n"
        "            importlib.import_module(found.name)\n"
    )
    _ok(venv.run(venv.python, "-c", script))


def test_every_package_data_glob_lands_in_the_wheel(venv: Venv) -> None:
    listing = _ok(
        venv.run(
            venv.python,
            "-c",
            "import importlib.metadata as m; print('\\n'.join(str(f) for f in m.files('boardsheet')))",
        )
    )
    files = listing.split()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for package, globs in package_data.items():
        for pattern in globs:
            full = f"{package.replace('.', '/')}/{pattern}"
            assert fnmatch.filter(files, full), f"package-data {package}: {pattern} put nothing in the wheel"
    assert "app/cli/demo.yaml" in files and "connectors/emulators/seeds/demo.yaml" in files
    assert not [f for f in files if f.startswith("tests/")]
    # pip compiles what it installs (the Dockerfile's plain install relies on it: the image's user cannot
    # write bytecode), and records it; any other .pyc would have come from the wheel itself.
    sources = {f for f in files if f.endswith(".py")}
    assert not [f for f in files if f.endswith(".pyc") and _source_of(f) not in sources]
    assert f"app/cli/__pycache__/main.{sys.implementation.cache_tag}.pyc" in files


def _source_of(compiled: str) -> str:
    """The source a `__pycache__/name.cpython-XY.pyc` was compiled from (PEP 3147)."""
    folder, _, name = compiled.rpartition("/__pycache__/")
    return f"{folder}/{name.split('.', 1)[0]}.py"


def test_config_schema_and_check_config_on_the_shipped_examples(venv: Venv) -> None:
    schema = json.loads(_ok(venv.run(venv.boardsheet, "config-schema")))
    assert "pairs" in schema["properties"]
    # The files the image ships (its runtime stage copies them from the context).
    shipped = [s for c in context_copies(stage("runtime")) for s in c.sources if s.endswith(".yaml")]
    assert shipped
    for source in shipped:
        checked = _ok(venv.run(venv.boardsheet, "check-config", str(ROOT / source)))
        assert checked.startswith("OK "), checked


@pytest.fixture(scope="module")
def emulators(venv: Venv) -> Iterator[dict[str, str]]:
    """`boardsheet emulate --seed demo` from the venv on free ports; its printed URLs and ids."""
    proc = venv.start(
        venv.boardsheet, "emulate", "--trello-port", "0", "--sheets-port", "0", "--seed", "demo"
    )
    try:
        proc.wait_for(r"^Serving until Ctrl-C")
        board = proc.wait_for(r"^Board: ([0-9a-f]{24}) \(short link \S+, (\d+) cards\)")
        sheet = proc.wait_for(r"^Spreadsheet: (\S+) \(tab (\w+)\)")
        yield {
            "trello": proc.wait_for(r"^Trello emulator: (http://127\.0\.0\.1:\d+)").group(1),
            "sheets": proc.wait_for(r"^Sheets emulator: (http://127\.0\.0\.1:\d+)").group(1),
            "board": board.group(1),
            "cards": board.group(2),
            "spreadsheet": sheet.group(1),
            "tab": sheet.group(2),
        }
        assert proc.stop() == 0, proc.output()
    finally:
        proc.kill()


@pytest.fixture(scope="module")
def settings(
    venv: Venv, emulators: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """A one-pair config of the seeded board and sheet, and the environment pointing at the emulators."""
    where = tmp_path_factory.mktemp("settings")
    config = where / "boardsheet.yaml"
    config.write_text(
        "pairs:\n"
        "  - name: calendar\n"
        f"    trello: {{board: {emulators['board']}}}\n"
        f"    sheet: {{spreadsheet: {emulators['spreadsheet']}, tab: {emulators['tab']}}}\n"
        "    columns:\n"
        "      - {header: Title, field: name}\n"
        "      - {header: Status, field: list}\n"
    )
    return {
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{where / 'boardsheet.db'}",
        "TRELLO_API_KEY": EMULATOR_KEY,
        "TRELLO_TOKEN": EMULATOR_TOKEN,
        "TRELLO_API_URL": emulators["trello"],
        "GOOGLE_SHEETS_API_URL": emulators["sheets"],
    }


def _sheet_values(emulators: dict[str, str]) -> list[list[str]]:
    url = f"{emulators['sheets']}/v4/spreadsheets/{emulators['spreadsheet']}/values/{emulators['tab']}"
    answer = requests.get(url, headers={"Authorization": "Bearer anything"}, timeout=30)
    answer.raise_for_status()
    values: list[list[str]] = answer.json().get("values", [])
    return values


def test_sync_fills_the_seeded_sheet_then_plan_has_nothing_to_do(
    venv: Venv, emulators: dict[str, str], settings: dict[str, str]
) -> None:
    synced = _ok(venv.run(venv.boardsheet, "sync", extra=settings))
    assert re.search(rf"calendar: {emulators['cards']} added", synced), synced
    values = _sheet_values(emulators)
    assert values[0][:2] == ["Title", "Status"]
    assert len(values) == 1 + int(emulators["cards"])
    assert "nothing to change" in _ok(venv.run(venv.boardsheet, "plan", extra=settings))


def test_the_operators_commands_work_from_the_installed_package(venv: Venv, settings: dict[str, str]) -> None:
    paused = _ok(venv.run(venv.boardsheet, "pause", "calendar", "--reason", "checking", extra=settings))
    assert "calendar: paused by" in paused
    status = json.loads(_ok(venv.run(venv.boardsheet, "status", "--json", extra=settings)))
    assert status["pairs"][0]["paused_reason"] == "checking"
    assert "calendar: resumed by" in _ok(venv.run(venv.boardsheet, "resume", "calendar", extra=settings))
    table = _ok(venv.run(venv.boardsheet, "status", extra=settings))  # piped: nothing cut
    assert "calendar" in table and "…" not in table


def test_webhooks_list_talks_to_trello(venv: Venv, settings: dict[str, str]) -> None:
    listed = _ok(venv.run(venv.boardsheet, "webhooks", "list", extra=settings))
    assert listed.startswith("no webhooks: this Trello token has none")  # Trello's (empty) answer, one line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get_until_answered(url: str, proc: Running) -> requests.Response:
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        try:
            return requests.get(url, timeout=10)
        except requests.ConnectionError:
            if proc.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{url} never answered: {proc.output()}") from None
            time.sleep(0.5)


def test_serve_answers_healthz_and_readyz(venv: Venv, settings: dict[str, str]) -> None:
    port = _free_port()
    proc: Running = venv.start(venv.boardsheet, "serve", "--port", str(port), extra=settings)
    try:
        healthz = _get_until_answered(f"http://127.0.0.1:{port}/healthz", proc)
        assert healthz.status_code == 200, proc.output()
        readyz = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        assert readyz.status_code == 200, readyz.text
        # uvicorn shuts down gracefully, then re-raises the signal so the exit says what stopped it.
        assert proc.stop() in (0, -signal.SIGTERM), proc.output()
        assert "boardsheet stopped" in proc.output()
    finally:
        proc.kill()


def test_demo_runs_from_the_installed_package_and_exits_0(venv: Venv) -> None:
    demo = venv.run(venv.boardsheet, "demo", "--duration", "3", "--no-teammates", timeout=600)
    assert "Status page:" in _ok(demo)
