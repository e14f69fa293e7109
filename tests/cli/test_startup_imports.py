"""Commands import only what they need: `--help` no database or API library, `sync` no service code,
read commands no migration, `check-config` no store or API client.

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
# googleapiclient's discovery client pulls httplib2, pyparsing and unittest (~0.2 s): built at the first
# Sheets call, after a sync's first request (to Trello); PostgreSQL's dialect is no SQLite store's business.
SHEETS_CLIENT = ["googleapiclient.discovery", "httplib2", "pyparsing", "unittest"]
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
    "app.core.schedule",  # the coordinator's rules; a sync needs only describe_error (app.core.error_text)
    "sqlalchemy.dialects.postgresql",
]
# The spinner shows on a terminal only: piped (cron, CI, this test), a sync needs no rich.progress.
TERMINAL_ONLY = ["rich.progress"]
# A plain check-config reads the YAML: no store, no API client.
NOT_FOR_CHECKING = [*SERVICE_ONLY, *SHEETS_CLIENT, "sqlalchemy", "requests", "trello", "google", "app.store"]
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


def migrated_store_and_config(tmp_path: Path) -> Path:
    """A store at the newest revision (as after any earlier run) and the YAML; the YAML's path."""
    Store(f"sqlite:///{tmp_path / 'state.db'}").close()
    config = tmp_path / "boardsheet.yaml"
    config.write_text(CONFIG)
    return config


def test_sync_reaches_its_first_request_without_service_code_or_migrations(tmp_path: Path) -> None:
    config = migrated_store_and_config(tmp_path)
    report = first_request(tmp_path, "sync", "-c", str(config))
    assert report["at"] == "first request"
    assert loaded(report, [*SERVICE_ONLY, *SHEETS_CLIENT, *TERMINAL_ONLY, "app.cli.plan_table"]) == []
    needed = ["sqlalchemy", "trello", "app.runtime.sync", "connectors.sheets.client"]
    assert loaded(report, needed) == needed  # what a sync does need is there: the probe saw the real run


def test_sync_imports_out_of_the_collectors_sight(tmp_path: Path) -> None:
    """The ~90,000 objects the command's import made (modules, classes, functions) are frozen: the
    collector's passes before the first request walk only what the run allocated (about 80 ms of CPU
    each sync spent walking them again and again, issue 13)."""
    config = migrated_store_and_config(tmp_path)
    report = first_request(tmp_path, "sync", "-c", str(config))
    assert report["at"] == "first request"
    assert isinstance(report["tracked"], int)
    assert report["tracked"] < 20_000  # 90,019 when the import's objects stayed in the young generations


def test_plan_reads_without_migrating_or_service_code(tmp_path: Path) -> None:
    config = migrated_store_and_config(tmp_path)
    report = first_request(tmp_path, "plan", "-c", str(config))
    assert report["at"] == "first request"
    assert loaded(report, [*SERVICE_ONLY, *SHEETS_CLIENT]) == []


def test_read_commands_on_a_missing_store_neither_make_nor_migrate_one(tmp_path: Path) -> None:
    config = tmp_path / "boardsheet.yaml"
    config.write_text(CONFIG)
    planned = first_request(tmp_path, "plan", "-c", str(config))
    status = first_request(tmp_path, "status", "-c", str(config))
    assert planned["at"] == "first request"
    assert status["at"] == "exit"
    assert loaded(planned, ["alembic"]) == loaded(status, ["alembic"]) == []
    assert not (tmp_path / "state.db").exists()


def test_check_config_and_config_schema_import_no_store_or_api_client(tmp_path: Path) -> None:
    config = tmp_path / "boardsheet.yaml"
    config.write_text(CONFIG)
    checked = first_request(tmp_path, "check-config", str(config))
    schema = first_request(tmp_path, "config-schema")
    assert checked["at"] == schema["at"] == "exit"
    assert loaded(checked, NOT_FOR_CHECKING) == []
    assert loaded(schema, NOT_FOR_CHECKING) == []
    assert loaded(checked, ["app.config.models"]) == ["app.config.models"]  # it did read the YAML
