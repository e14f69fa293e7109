"""`boardsheet check-config PATH [--online]` and `boardsheet config-schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.cli.common import ConfigOpt, JsonOpt, config_file, print_json
from app.config.models import Config, load_config
from app.config.schema import config_schema
from app.config.settings import Settings, SettingsError, get_settings
from app.config.source import Problem
from app.core.wording import counted
from app.errors import BoardsheetError, ConfigError, StoreError
from connectors.errors import ConnectorError

EXIT_BAD_CONFIG = 2


def _summary(config: Config) -> list[str]:
    """One line per pair: name, board, tab and column count."""
    return [
        f"  {p.name}: board {p.trello.board} → {p.sheet.spreadsheet} / {p.sheet.tab} "
        f"({counted(len(p.columns), 'column')}, {p.timezone})"
        for p in config.pairs
    ]


def online_problems(config: Config) -> list[Problem]:
    """Problems only the APIs reveal, with connectors built from the environment's settings."""
    # Only --online reaches the APIs and the store: a plain check imports neither (issue 13).
    from app.runtime.online import check_online
    from app.runtime.syncer_wiring import INTERACTIVE_RETRY_SECONDS, build_sheets, build_trello
    from app.store.store import store_for_reading

    settings = get_settings()
    missing = settings.missing("TRELLO_API_KEY", "TRELLO_TOKEN")
    if missing:
        raise SettingsError(f"--online needs {' and '.join(missing)} in the environment")
    trello = build_trello(settings, retry_seconds=INTERACTIVE_RETRY_SECONDS)
    try:
        sheets = build_sheets(settings, retry_seconds=INTERACTIVE_RETRY_SECONDS)
    except ConnectorError as exc:
        raise SettingsError(f"cannot set up Google Sheets: {exc.message}") from exc
    # The tabs pairs last synced, by sheet id: a renamed tab is followed by runs, so it is no problem.
    try:
        store = store_for_reading(settings.database_url)
    except StoreError:
        return check_online(config, trello, sheets)  # no state store yet: tabs are checked by name
    with store:
        return check_online(config, trello, sheets, store.known_tab)


def _fail(problems: list[Problem], path: Path, as_json: bool = False) -> typer.Exit:
    """Print every problem to stderr (JSON on stdout with `as_json`); the Exit to raise."""
    if as_json:
        print_json({"file": str(path), "ok": False, "problems": [_problem(p) for p in problems]})
        return typer.Exit(EXIT_BAD_CONFIG)
    err = Console(stderr=True, highlight=False)
    for problem in problems:
        err.print(escape(str(problem)), soft_wrap=True)
    err.print(f"[red]{len(problems)} problem(s) found in {escape(str(path))}[/red]", soft_wrap=True)
    return typer.Exit(EXIT_BAD_CONFIG)


def _problem(problem: Problem) -> dict[str, object]:
    """One problem as JSON: where, what, and the hint."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path,
        "message": problem.message,
        "hint": problem.hint,
        "text": str(problem),
    }


def check_config(
    path: Annotated[
        Path | None,
        typer.Argument(help="the YAML file to check (default: -c, $BOARDSHEET_CONFIG, ./boardsheet.yaml)"),
    ] = None,
    online: Annotated[
        bool, typer.Option("--online", help="also ask Trello and Google Sheets (boards, lists, tabs)")
    ] = False,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a configuration file and print every problem (exit 2) or a short summary (exit 0)."""
    try:
        path = config_file(get_settings(), path or config)
        loaded = load_config(path, env=Settings.environ())
        problems = online_problems(loaded) if online else []
    except ConfigError as exc:
        raise _fail(exc.problems, path or Path("?"), as_json) from exc
    except BoardsheetError as exc:
        Console(stderr=True, highlight=False).print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_BAD_CONFIG) from exc
    if problems:
        raise _fail(problems, path, as_json)
    if as_json:
        summary = [
            {"name": p.name, "board": p.trello.board, "spreadsheet": p.sheet.spreadsheet,
             "tab": p.sheet.tab, "columns": len(p.columns), "timezone": p.timezone}
            for p in loaded.pairs
        ]  # fmt: skip
        warnings = [_problem(p) for p in loaded.warnings]
        print_json(
            {"file": str(path), "ok": True, "online": online, "pairs": summary, "problems": [],
             "warnings": warnings}
        )  # fmt: skip
        return
    config_ = loaded
    checked = " (checked against Trello and Google Sheets)" if online else ""
    out = Console(highlight=False)
    out.print(f"[green]OK[/green] {escape(str(path))}: {len(config_.pairs)} pair(s){checked}", soft_wrap=True)
    for line in _summary(config_):
        out.print(escape(line), soft_wrap=True)
    for warning in config_.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(str(warning))}", soft_wrap=True)


def config_schema_command() -> None:
    """Print the configuration's JSON Schema (point your editor's YAML plugin at it)."""
    typer.echo(json.dumps(config_schema(), indent=2, ensure_ascii=False))
