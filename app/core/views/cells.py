"""A view's cells as data: rich text (runs), colours, wrapping, notes; to and from Sheets' CellData.

A run's `startIndex` counts UTF-16 code units and its format lasts until the next run; runs are only
valid on string values, and writing a value erases earlier runs
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#TextFormatRun). A run with
an empty format goes back to the cell's own format, which is how a link ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.views.palette import Colour, hex_of, rgb

# Everything a view owns in each cell; written under this mask, so a written cell is wholly ours.
CELL_MASK = "userEnteredValue,textFormatRuns,note,userEnteredFormat"


@dataclass(frozen=True, slots=True)
class Run:
    """A run of text from `start` (UTF-16 code units) with its own link, colour and weight."""

    start: int
    link: str | None = None
    colour: Colour | None = None
    bold: bool = False

    @property
    def plain(self) -> bool:
        """True when the run only goes back to the cell's format."""
        return self.link is None and self.colour is None and not self.bold


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of a view: text with runs, background, the cell's own text format, wrapping, a note."""

    text: str = ""
    runs: tuple[Run, ...] = ()
    background: Colour | None = None
    colour: Colour | None = None
    bold: bool = False
    size: int | None = None  # font size in points; None: the sheet's default
    wrap: bool = False  # wrap and align to the top (day cells) rather than overflow (titles)
    note: str = ""

    @property
    def empty(self) -> bool:
        """True for a cell holding nothing a view would write."""
        return self == EMPTY


EMPTY = GridCell()


def utf16_length(text: str) -> int:
    """The length of `text` in UTF-16 code units (what Sheets counts run indexes in)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class RichText:
    """Builds a cell's text and its runs piece by piece."""

    parts: list[str] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    length: int = 0

    def add(
        self, text: str, *, link: str | None = None, colour: Colour | None = None, bold: bool = False
    ) -> None:
        """Append `text` in its own format (a plain piece ends the previous format)."""
        if not text:
            return
        self.runs.append(Run(self.length, link, colour, bold))
        self.parts.append(text)
        self.length += utf16_length(text)

    def cell(self, **formats: Any) -> GridCell:
        """The cell holding the text built so far, with normalised runs."""
        text = "".join(self.parts)
        return GridCell(text=text, runs=normalise(self.runs, utf16_length(text)), **formats)


def normalise(runs: list[Run] | tuple[Run, ...], length: int) -> tuple[Run, ...]:
    """Runs in order, inside the text, without repeats or a leading plain run (Sheets' equivalents)."""
    out: list[Run] = []
    for run in sorted(runs, key=lambda r: r.start):
        if run.start >= length:
            continue
        if out and out[-1].start == run.start:
            out.pop()
        previous = out[-1] if out else Run(0)
        same = (previous.link, previous.colour, previous.bold) == (run.link, run.colour, run.bold)
        if not same:
            out.append(run)
    return tuple(out)


def _text_format(
    colour: Colour | None, bold: bool, link: str | None = None, size: int | None = None
) -> dict[str, Any]:
    """A TextFormat with only what is set."""
    fmt: dict[str, Any] = {}
    if colour is not None:
        fmt["foregroundColorStyle"] = {"rgbColor": rgb(colour)}
    if bold:
        fmt["bold"] = True
    if link is not None:
        fmt["link"] = {"uri": link}
    if size is not None:
        fmt["fontSize"] = size
    return fmt


def cell_data(cell: GridCell) -> dict[str, Any]:
    """CellData for a view cell; text is always a stringValue (never run as a formula)."""
    if cell.empty:
        return {}
    data: dict[str, Any] = {}
    if cell.text:
        data["userEnteredValue"] = {"stringValue": cell.text}
    if cell.runs:
        data["textFormatRuns"] = [
            {"startIndex": r.start, "format": _text_format(r.colour, r.bold, r.link)} for r in cell.runs
        ]
    fmt: dict[str, Any] = {}
    if cell.background is not None:
        fmt["backgroundColorStyle"] = {"rgbColor": rgb(cell.background)}
    text_format = _text_format(cell.colour, cell.bold, size=cell.size)
    if text_format:
        fmt["textFormat"] = text_format
    fmt["wrapStrategy"] = "WRAP" if cell.wrap else "OVERFLOW_CELL"
    fmt["verticalAlignment"] = "TOP" if cell.wrap else "MIDDLE"
    data["userEnteredFormat"] = fmt
    if cell.note:
        data["note"] = cell.note
    return data


def _colour_of(holder: Mapping[str, Any], plain: str) -> Colour | None:
    """A colour kept as `xStyle.rgbColor` or as the older `x`."""
    style = holder.get(plain + "Style") or {}
    return hex_of(style.get("rgbColor") or holder.get(plain))


def grid_cell(data: Mapping[str, Any]) -> GridCell:
    """A read CellData as a view cell: only what a view owns counts, so equal cells compare equal."""
    entered = data.get("userEnteredValue") or {}
    fmt = data.get("userEnteredFormat") or {}
    text_format = fmt.get("textFormat") or {}
    text = entered.get("stringValue")
    if text is None and entered:
        text = str(data.get("formattedValue", "")) or "?"  # a number or formula typed over the grid
    text = str(text or "")
    runs = [
        Run(
            int(raw.get("startIndex", 0)),  # Google leaves out a zero startIndex
            ((raw.get("format") or {}).get("link") or {}).get("uri"),
            _colour_of(raw.get("format") or {}, "foregroundColor"),
            bool((raw.get("format") or {}).get("bold")),
        )
        for raw in data.get("textFormatRuns") or []
    ]
    wrap = fmt.get("wrapStrategy") == "WRAP"
    cell = GridCell(
        text=text,
        runs=normalise(runs, utf16_length(text)),
        background=_colour_of(fmt, "backgroundColor"),
        colour=_colour_of(text_format, "foregroundColor"),
        bold=bool(text_format.get("bold")),
        size=int(text_format["fontSize"]) if "fontSize" in text_format else None,
        wrap=wrap,
        note=str(data.get("note") or ""),
    )
    # A cell carrying only a view's default alignment is an empty cell (what clearing leaves).
    return EMPTY if cell == GridCell(wrap=wrap) and not text else cell
