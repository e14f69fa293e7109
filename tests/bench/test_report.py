"""The bench table never cuts a cell: tests read figures back from it, and people compare them."""

from __future__ import annotations

import io

from rich.console import Console

from bench.report import Figure, show


def test_a_long_figure_name_does_not_cut_the_measured_value_on_a_narrow_console() -> None:
    out = io.StringIO()
    figure = Figure(
        "Service", "a figure whose name alone is wider than the terminal " * 3, "+500 rows, 0 cells"
    )
    show([figure], "benchmarks", Console(file=out, width=80))
    assert "+500 rows, 0 cells" in out.getvalue()
    assert "…" not in out.getvalue()
