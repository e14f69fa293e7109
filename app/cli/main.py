"""The `boardsheet` console script: one Typer app; each command group lives in its own module here.

Commands are registered below. User errors (bad config, bad environment) print a message and exit 2,
never a traceback.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app import __version__
from app.cli import admin as cli_admin
from app.cli import calendar as cli_calendar
from app.cli import config as cli_config
from app.cli import demo as cli_demo
from app.cli import emulate as cli_emulate
from app.cli import restore as cli_restore
from app.cli import service as cli_service
from app.cli import sync as cli_sync
from app.cli import undo as cli_undo
from app.cli import webhooks as cli_webhooks
from app.cli.common import EXIT_BAD_USAGE, fit_output
from app.cli.help import PlainCommand, plain_typer
from app.errors import BoardsheetError
from connectors.errors import ConnectorError

app = plain_typer(
    name="boardsheet",
    help="Keep Trello boards and Google Sheets calendars equal.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
)


def _print_version(value: bool) -> None:
    if value:
        Console(highlight=False).print(f"boardsheet {__version__}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", is_eager=True, callback=_print_version, help="print the version and exit"
        ),
    ] = False,
) -> None:
    """Keep Trello boards and Google Sheets calendars equal."""
    fit_output()


for name, function in (
    ("check-config", cli_config.check_config),
    ("config-schema", cli_config.config_schema_command),
    ("emulate", cli_emulate.emulate),
    ("demo", cli_demo.demo),
    ("plan", cli_sync.plan),
    ("sync", cli_sync.sync),
    ("status", cli_admin.status),
    ("pause", cli_admin.pause),
    ("resume", cli_admin.resume),
    ("approve", cli_admin.approve),
    ("restore", cli_restore.restore),
    ("undo-archive", cli_undo.undo_archive),
    ("serve", cli_service.serve),
    ("calendar-url", cli_calendar.calendar_url),
):
    app.command(name, cls=PlainCommand)(function)
app.add_typer(cli_webhooks.webhooks_app, name="webhooks")


def main() -> None:
    """Entry point of the console script."""
    try:
        # The same name however it was started (the console script, or `python -m app`).
        app(prog_name="boardsheet")
    except (BoardsheetError, ConnectorError) as exc:
        # A user error (bad settings, unusable credentials) no command handled: say it plainly, no traceback.
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise SystemExit(EXIT_BAD_USAGE) from exc
