"""The month grid as text, for golden files a person can read and review."""

from __future__ import annotations

from app.core.views.cells import GridCell, utf16_length
from app.core.views.month import Grid
from app.core.views.palette import OTHER_MONTH, TODAY, WEEKEND


def _marks(cell: GridCell) -> str:
    """What a stakeholder sees besides the text: the day's background and crowding."""
    marks = {TODAY: "[today]", WEEKEND: "[weekend]", OTHER_MONTH: "[other month]"}
    found = [marks[cell.background]] if cell.background in marks else []
    if cell.note:
        found.append(f"[note: {cell.note.count(chr(10))} cards]")
    return " ".join(found)


def _linked(cell: GridCell) -> list[str]:
    """Each run's text with its link and colour, as `«text» -> link (colour)`."""
    units = cell.text.encode("utf-16-le")
    out = []
    bounds = [run.start for run in cell.runs] + [utf16_length(cell.text)]
    for run, end in zip(cell.runs, bounds[1:], strict=True):
        if run.link is None and run.colour is None:
            continue
        text = units[run.start * 2 : end * 2].decode("utf-16-le")
        out.append(f"«{text}» -> {run.link or '-'} ({run.colour or 'default'})")
    return out


def grid_text(grid: Grid) -> str:
    """Every non-empty cell, row by row, with its row's height."""
    lines = []
    for r, row in enumerate(grid.rows):
        lines.append(f"row {r} height {grid.heights[r] or 'default'}")
        for c, cell in enumerate(row):
            if cell.empty:
                continue
            head = f"  col {c} {_marks(cell)}".rstrip()
            lines.append(head + ": " + cell.text.replace("\n", " | "))
            lines += ["      " + link for link in _linked(cell)]
    return "\n".join(lines) + "\n"
