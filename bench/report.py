"""Figures, their targets and verdicts, and the one rich table `make bench` prints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

# "budget": a count the design promises, a miss fails `make bench`; "target": a time or rate, shown
# only (2 noisy cores make timings too unsteady to fail a build on).
Kind = Literal["budget", "target", "info"]


@dataclass(frozen=True)
class Figure:
    """One measured line: what it is, the figure, the target next to it, and whether it was met."""

    section: str
    name: str
    measured: str
    target: str = "—"
    met: bool | None = None  # None: no target
    kind: Kind = "info"
    trello: int | None = None
    sheets_reads: int | None = None
    sheets_writes: int | None = None

    @property
    def broken(self) -> bool:
        """True when this is a budget and it was missed."""
        return self.kind == "budget" and self.met is False


def verdict(figure: Figure) -> str:
    """The last column: ok, BROKEN (a budget) or over (a target, informative)."""
    if figure.met is None:
        return ""
    if figure.met:
        return "[green]ok[/green]"
    return "[bold red]BROKEN[/bold red]" if figure.kind == "budget" else "[yellow]over target[/yellow]"


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def table(figures: Sequence[Figure], title: str) -> Table:
    """All figures in one table, a section per concern."""
    out = Table(title=title, title_justify="left")
    for header, justify in [
        ("Figure", "left"),
        ("Trello req", "right"),
        ("Sheets reads", "right"),
        ("Sheets writes", "right"),
        ("Measured", "right"),
        ("Target", "left"),
        ("", "left"),
    ]:
        out.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    section = None
    for figure in figures:
        if figure.section != section:
            if section is not None:
                out.add_section()
            out.add_row(f"[bold]{figure.section}[/bold]")
            section = figure.section
        out.add_row(
            f"  {figure.name}",
            _count(figure.trello),
            _count(figure.sheets_reads),
            _count(figure.sheets_writes),
            figure.measured,
            figure.target,
            verdict(figure),
        )
    return out


def show(figures: Sequence[Figure], title: str, console: Console | None = None) -> None:
    """Print the table and, under it, which budgets broke."""
    console = console or Console()
    out = table(figures, title)
    # As wide as its widest row: a cut cell ("0 cel…") would misreport a figure, whatever the terminal.
    wide = Measurement.get(console, console.options.update_width(100_000), out).maximum
    console.width = max(console.width, wide)  # print(width=...) cannot exceed the console's own width
    console.print(out)
    for figure in broken(figures):
        console.print(f"[bold red]budget broken:[/bold red] {figure.section} / {figure.name}")


def broken(figures: Iterable[Figure]) -> list[Figure]:
    """The figures whose budget was missed."""
    return [f for f in figures if f.broken]


def ms(seconds: float) -> str:
    """A duration in milliseconds, for humans."""
    return f"{seconds * 1000:,.1f} ms"


def secs(seconds: float) -> str:
    """A duration in seconds, for humans."""
    return f"{seconds:,.2f} s"


def mib(size: float) -> str:
    """A size in bytes as MiB."""
    return f"{size / 2**20:,.1f} MiB"
