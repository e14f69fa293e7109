"""`python -m bench.soak` (make soak): the soak's one table; exits 1 on any loss (docs/reliability.md)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.databases import database_server
from bench.soak.run import Outcome, run_soak
from bench.soak.settings import FULL, SHORT


def table(outcome: Outcome, title: str) -> Table:
    """The one table: each figure and check, with its verdict."""
    shown = Table(title=title)
    shown.add_column("what")
    shown.add_column("measured")
    shown.add_column("verdict")
    for line in outcome.lines:
        style = "red" if line.verdict == "LOSS" else "green" if line.verdict == "ok" else ""
        shown.add_row(line.name, line.measured, f"[{style}]{line.verdict}[/{style}]" if style else "")
    return shown


def main(argv: Sequence[str] | None = None) -> int:
    """Run the soak; 0 when nothing was lost, 1 otherwise, 2 when it could not run."""
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--short", action="store_true", help="the ~30 s version `make test` runs")
    parser.add_argument("--seed", type=int, default=13, help="the people's and the faults' random seed")
    parser.add_argument("--logs", type=Path, help="copy the replicas' logs into this directory")
    args = parser.parse_args(argv)
    # The connectors' retry lines under injected faults would drown the table; the replicas log to files.
    logging.basicConfig(level=logging.ERROR, format="%(name)s: %(message)s")
    server = database_server()
    settings = SHORT if args.short else FULL
    console = Console(width=max(Console().width, 120))

    def say(line: str) -> None:
        console.print(f"[dim]{line}[/dim]")

    try:
        outcome = run_soak(settings, server, args.seed, say, logs=args.logs)
    except RuntimeError as exc:
        console.print(f"[red]the soak could not run:[/red] {exc}")
        return 2
    console.print(table(outcome, f"boardsheet soak ({settings.name})"))
    return 1 if outcome.lost else 0


if __name__ == "__main__":
    sys.exit(main())
