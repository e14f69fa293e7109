"""Commands import only what they need: `--help` no database or API library, `sync` no service code.

Read from sys.modules in a subprocess (bench/first_request.py, an audit hook on socket.connect), never
from a time: every command used to import all of them, about 1.6 s before any work (issue 13).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.store import Store
from tests.support.paths import ROOT

pytestmark = pytest.mark.http  # a subprocess

CONFIG = """pairs:
  - name: calendar
    trello: {board: 5f1e2d3c4b5a69788796a5b4}
    sheet: {spreadsheet: 1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789, tab: Calendar}
    timezone: Europe/Paris
    columns:
      - {header: Title, field: name}
"""
SERVICE_ONLY = [
    "alembic",  # the store is at the newest revision: nothing to migrate
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "prometheus_client",
    "connectors.emulators",
    "app.web",
    "app.runtime.coordinator",
    "app.runtime.registration",
    "icalendar",  # only a served feed renders iCalendar
]
NOT_FOR_HELP = [
    *SERVICE_ONLY,
    "pydantic",
    "sqlalchemy",
    "googleapiclient",
    "requests",
    "trello",
    "app.config.models",
    "app.store",
    "app.runtime",
]


def first_request(tmp_path: Path, *args: str) -> dict[str, object]:
    """`boardsheet ARGS` until its first socket.connect (or its exit): where, and the modules loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDSHEET_", "TRELLO_", "GOOGLE_"))}
    env |= {
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "TRELLO_API_KEY": "emulator-key",
        "TRELLO_TOKEN": "token-ops",
        "TRELLO_API_URL": "http://127.0.0.1:9",  # never reached: the hook stops the process first
        "GOOGLE_SHEETS_API_URL": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.first_request", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return report


def loaded(report: dict[str, object], names: list[str]) -> list[str]:
    """Which of `names` (packages included: "app.web" covers app.web.routes) were imported."""
    modules = report["modules"]
    assert isinstance(modules, list)
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_help_imports_no_database_api_or_service_library(tmp_path: Path) -> None:
    report = first_request(tmp_path, "--help")
    assert report["at"] == "exit"
    assert loaded(report, NOT_FOR_HELP) == []


def test_sync_reaches_its_first_request_without_service_code_or_migrations(tmp_path: Path) -> None:
    Store(f"sqlite:///{tmp_path / 'state.db'}").close()  # migrated once, as after any earlier run
    config = tmp_path / "boardsheet.yaml"
    config.write_text(CONFIG)
    report = first_request(tmp_path, "sync", "-c", str(config))
    assert report["at"] == "first request"
    assert loaded(report, SERVICE_ONLY) == []
    assert loaded(report, ["sqlalchemy", "googleapiclient", "app.runtime.sync"]) == [
        "sqlalchemy",
        "googleapiclient",
        "app.runtime.sync",
    ]  # what a sync does need is there: the probe saw the real run
