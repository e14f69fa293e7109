"""What every command shares: the exit codes, the two consoles, plain error printing, loading the config.

Exit codes (the contract): 0 success; 1 a failed (or held) run, or the state store unreachable; 2 bad
usage or bad configuration, refused or missing credentials included.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.config.models import Config, load_config
from app.config.settings import Settings, get_settings
from app.errors import BoardsheetError, ConfigError, StoreError
from connectors.errors import ConnectorError

__all__ = [
    "EXIT_BAD_USAGE",
    "EXIT_FAILED",
    "ConfigOpt",
    "err",
    "fail",
    "load",
    "out",
    "print_problems",
]

EXIT_FAILED = 1
EXIT_BAD_USAGE = 2

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="the YAML file (default: $BOARDSHEET_CONFIG)")
]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int) -> typer.Exit:
    """Print `error: message` to stderr; the Exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def print_problems(problems: Iterable[object]) -> None:
    """Every configuration problem, one per line, on stderr."""
    for problem in problems:
        err.print(escape(str(problem)))


def load(config_path: Path | None) -> tuple[Settings, Config]:
    """Settings from the environment and the YAML they (or `config_path`) name; exits 2 when wrong."""
    try:
        settings = get_settings()
        return settings, load_config(config_path or settings.config_path, env=settings.environ())
    except ConfigError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_BAD_USAGE) from exc
    except StoreError as exc:  # the database is down: the run failed, the usage was fine
        raise fail(str(exc), EXIT_FAILED) from exc
    except (BoardsheetError, ConnectorError) as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
