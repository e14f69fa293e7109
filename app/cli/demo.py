"""`boardsheet demo`: the whole product on this machine, against the emulators."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.cli.demo_run import DemoOptions, run_demo
from app.errors import BoardsheetError
from connectors.emulators.seeding import SeedError
from connectors.errors import ConnectorError

EXIT_FAILED = 1


def demo(
    no_teammates: Annotated[
        bool, typer.Option("--no-teammates", help="do not let simulated teammates edit cards")
    ] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="seconds between two teammates' edits")
    ] = 4.0,
    duration: Annotated[
        float | None, typer.Option("--duration", min=0.0, help="stop by itself after this many seconds")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="the service's port (0: any free port)")] = 0,
) -> None:
    """Start the emulators, seed a content calendar, run the service and watch the sheet follow the board."""
    out = Console(highlight=False, soft_wrap=True)

    def say(line: str) -> None:
        out.print(escape(line))
        out.file.flush()

    options = DemoOptions(teammates=not no_teammates, interval=interval, duration=duration, port=port)
    try:
        run_demo(options, say)
    except (BoardsheetError, ConnectorError, SeedError, OSError, RuntimeError) as exc:
        Console(stderr=True, highlight=False).print(f"[red]error:[/red] demo failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED) from exc
