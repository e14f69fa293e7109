"""`boardsheet check-config PATH [--online]` and `boardsheet config-schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.config.models import Config, load_config
from app.config.schema import config_schema
from app.config.settings import Settings, SettingsError, get_settings
from app.config.source import Problem
from app.errors import BoardsheetError, ConfigError
from app.runtime.online import check_online
from app.runtime.wiring import build_sheets, build_trello
from connectors.errors import ConnectorError

EXIT_BAD_CONFIG = 2


def _summary(config: Config) -> list[str]:
    """One line per pair: name, board, tab and column count."""
    return [
        f"  {p.name}: board {p.trello.board} → {p.sheet.spreadsheet} / {p.sheet.tab} "
        f"({len(p.columns)} columns, {p.timezone})"
        for p in config.pairs
    ]


def online_problems(config: Config) -> list[Problem]:
    """Problems only the APIs reveal, with connectors built from the environment's settings."""
    settings = get_settings()
    missing = settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN")
    if missing:
        raise SettingsError(f"--online needs {' and '.join(missing)} in the environment")
    trello = build_trello(settings, retry_seconds=10.0)
    try:
        sheets = build_sheets(settings, retry_seconds=10.0)
    except ConnectorError as exc:
        raise SettingsError(f"cannot set up Google Sheets: {exc.message}") from exc
    return check_online(config, trello, sheets)


def _fail(problems: list[Problem], path: Path) -> typer.Exit:
    """Print every problem to stderr; the Exit to raise."""
    err = Console(stderr=True, highlight=False)
    for problem in problems:
        err.print(escape(str(problem)), soft_wrap=True)
    err.print(f"[red]{len(problems)} problem(s) found in {escape(str(path))}[/red]", soft_wrap=True)
    return typer.Exit(EXIT_BAD_CONFIG)


def check_config(
    path: Annotated[Path, typer.Argument(help="the YAML file to check")],
    online: Annotated[
        bool, typer.Option("--online", help="also ask Trello and Google Sheets (boards, lists, tabs)")
    ] = False,
) -> None:
    """Check a configuration file and print every problem (exit 2) or a short summary (exit 0)."""
    try:
        config = load_config(path, env=Settings.environ())
        problems = online_problems(config) if online else []
    except ConfigError as exc:
        raise _fail(exc.problems, path) from exc
    except BoardsheetError as exc:
        Console(stderr=True, highlight=False).print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_BAD_CONFIG) from exc
    if problems:
        raise _fail(problems, path)
    checked = " (checked against Trello and Google Sheets)" if online else ""
    out = Console(highlight=False)
    out.print(f"[green]OK[/green] {escape(str(path))}: {len(config.pairs)} pair(s){checked}", soft_wrap=True)
    for line in _summary(config):
        out.print(escape(line), soft_wrap=True)


def config_schema_command() -> None:
    """Print the configuration's JSON Schema (point your editor's YAML plugin at it)."""
    typer.echo(json.dumps(config_schema(), indent=2, ensure_ascii=False))
