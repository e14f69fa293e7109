"""What every command shares: the exit codes, the two consoles, plain error printing, loading the config.

Exit codes (the contract): 0 success; 1 a failed (or held) run, or the state store unreachable; 2 bad
usage or bad configuration, refused or missing credentials included.
"""

from __future__ import annotations

import getpass
import json
import socket
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from app.errors import BoardsheetError, ConfigError, StoreError, UnknownPairError
from connectors.errors import AuthError, ConnectorError

if TYPE_CHECKING:  # pydantic and the config models load when a command reads its config, not for --help
    from app.config.models import Config
    from app.config.settings import Settings

__all__ = [
    "EXIT_BAD_USAGE",
    "EXIT_FAILED",
    "ConfigOpt",
    "JsonOpt",
    "actor",
    "ask",
    "command",
    "err",
    "exit_for",
    "fail",
    "fit_output",
    "load",
    "out",
    "print_json",
    "print_problems",
]

EXIT_FAILED = 1
EXIT_BAD_USAGE = 2

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help="the YAML file (default: $BOARDSHEET_CONFIG, then ./boardsheet.yaml)",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON (for scripts) instead of tables")]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
# Wide enough for any table row: piped output is read by programs and people, never cut at 80 columns.
PIPE_WIDTH = 10_000


def fit_output() -> None:
    """Let tables use the terminal's width, or never wrap or cut a column when the output is piped."""
    for console, stream in ((out, sys.stdout), (err, sys.stderr)):
        console.width = None if stream.isatty() else PIPE_WIDTH  # type: ignore[assignment]


def exit_for(exc: BaseException) -> int:
    """The exit code of a command that failed with `exc`: refused or missing credentials, bad
    configuration and an unknown pair are bad usage (2), like a missing variable; anything else (an
    unreachable API, a store down) a failed run (1)."""
    from app.config.settings import SettingsError  # loaded already: the command read its settings

    bad_usage = (AuthError, ConfigError, UnknownPairError, SettingsError)
    return EXIT_BAD_USAGE if isinstance(exc, bad_usage) else EXIT_FAILED


def fail(message: str, code: int) -> typer.Exit:
    """Print `error: message` to stderr; the Exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def print_problems(problems: Iterable[object]) -> None:
    """Every configuration problem, one per line, on stderr."""
    for problem in problems:
        err.print(escape(str(problem)))


def ask(question: str) -> bool:
    """A yes/no question on stderr, "no" by default; no answer (stdin closed, Ctrl-C) is a no, so a
    script that forgot --yes still gets the findings (and --json its document), with nothing done."""
    try:
        return typer.confirm(question, default=False, err=True)
    except typer.Abort:
        err.print("(no answer: nothing done)")
        return False


def print_json(document: Any) -> None:
    """A JSON document on stdout, whole (no console wrapping)."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def command(*words: str, config: Path | None = None, options: Iterable[str] = ()) -> str:
    """A `boardsheet ...` command line to suggest, repeating the -c FILE the user gave."""
    parts = ["boardsheet", *words]
    if config is not None:
        parts += ["-c", str(config)]
    return " ".join([*parts, *options])


def actor() -> str:
    """Who acts from this command line, for pauses and approvals: user@host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        user = "someone"
    return f"{user}@{socket.gethostname()}"


def config_file(settings: Settings, given: Path | None) -> Path:
    """The YAML to read (-c, then BOARDSHEET_CONFIG, then ./boardsheet.yaml); exits 2 naming how it
    looked when there is no such file."""
    path, how = settings.config_file(given)
    if not path.is_file():
        raise fail(
            f"no configuration file {path} ({how}); pass -c FILE or set BOARDSHEET_CONFIG", EXIT_BAD_USAGE
        )
    return path


def load(config_path: Path | None) -> tuple[Settings, Config]:
    """Settings from the environment and the YAML they (or `config_path`) name; exits 2 when wrong."""
    from app.config.models import load_config
    from app.config.settings import get_settings

    try:
        settings = get_settings()
        return settings, load_config(config_file(settings, config_path), env=settings.environ())
    except ConfigError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_BAD_USAGE) from exc
    except StoreError as exc:  # the database is down: the run failed, the usage was fine
        raise fail(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
