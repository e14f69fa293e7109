"""The `boardsheet` console script: one Typer app; each command group lives in its own module here.

Commands are registered below. User errors (bad config, bad environment) print a message and exit 2,
never a traceback.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

import typer
from rich.console import Console
from rich.markup import escape

from app import __version__
from app.cli.common import EXIT_BAD_USAGE, fit_output
from app.cli.lazy import LazyCommand, LazyGroup
from app.errors import BoardsheetError
from connectors.errors import ConnectorError

_CLI = "app.cli."


class BoardsheetGroup(LazyGroup):
    """The top-level group: every command imported only when it runs (app.cli.lazy says why)."""

    lazy: ClassVar[dict[str, LazyCommand]] = {
        name: LazyCommand(_CLI + module, attribute)
        for name, module, attribute in (
            ("check-config", "config", "check_config"),
            ("config-schema", "config", "config_schema_command"),
            ("emulate", "emulate", "emulate"),
            ("demo", "demo", "demo"),
            ("plan", "sync", "plan"),
            ("sync", "sync", "sync"),
            ("status", "admin", "status"),
            ("pause", "admin", "pause"),
            ("resume", "admin", "resume"),
            ("approve", "admin", "approve"),
            ("restore", "restore", "restore"),
            ("undo-archive", "undo", "undo_archive"),
            ("sharing", "sharing", "sharing"),
            ("serve", "service", "serve"),
            ("calendar-url", "calendar", "calendar_url"),
            ("apps-script", "apps_script", "apps_script"),
            ("webhooks", "webhooks", "webhooks_app"),
        )
    }


app = typer.Typer(
    cls=BoardsheetGroup,
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


def main() -> None:
    """Entry point of the console script."""
    try:
        # The same name however it was started (the console script, or `python -m app`).
        app(prog_name="boardsheet")
    except (BoardsheetError, ConnectorError) as exc:
        # A user error (bad settings, unusable credentials) no command handled: say it plainly, no traceback.
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise SystemExit(EXIT_BAD_USAGE) from exc
