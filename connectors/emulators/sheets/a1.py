"""A1 notation: parse `'Sheet'!A1:B2`-style ranges and format them back the way Google echoes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d+[Cc]\d+)$")


class RangeParseError(ValueError):
    """The text is not valid A1 notation."""


@dataclass(frozen=True)
class A1Range:
    """A parsed range: 0-based, end-exclusive bounds; None means open (to the grid's edge)."""

    sheet: str | None
    start_row: int | None = None
    start_col: int | None = None
    end_row: int | None = None
    end_col: int | None = None
    whole_sheet: bool = False


@dataclass(frozen=True)
class Bounds:
    """A closed-over rectangle on a known grid: 0-based, end-exclusive."""

    start_row: int
    start_col: int
    end_row: int
    end_col: int

    @property
    def rows(self) -> int:
        """Number of rows covered."""
        return self.end_row - self.start_row

    @property
    def cols(self) -> int:
        """Number of columns covered."""
        return self.end_col - self.start_col


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    value = 0
    for char in letters.upper():
        value = value * 26 + ord(char) - ord("A") + 1
    return value - 1


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split `'It''s'!A1` into (sheet name, cell part); a bare name has no cell part."""
    text = text.strip()
    if text.startswith("'"):
        end = 1
        name = ""
        while end < len(text):
            if text[end] == "'":
                if end + 1 < len(text) and text[end + 1] == "'":
                    name += "'"
                    end += 2
                    continue
                break
            name += text[end]
            end += 1
        else:
            raise RangeParseError(text)
        rest = text[end + 1 :]
        if not rest:
            return name, None
        if not rest.startswith("!"):
            raise RangeParseError(text)
        return name, rest[1:]
    if "!" in text:
        name, _, cells = text.rpartition("!")
        return name, cells
    return None, text


def _parse_cell(part: str, text: str) -> tuple[int | None, int | None]:
    match = _CELL.match(part.strip())
    if not match or not (match.group(1) or match.group(2)):
        raise RangeParseError(text)
    col = column_index(match.group(1)) if match.group(1) else None
    row = int(match.group(2)) - 1 if match.group(2) else None
    if row is not None and row < 0:
        raise RangeParseError(text)
    return row, col


def parse_cells(sheet: str | None, cells: str, text: str) -> A1Range:
    """Parse the part after `!`: `A1`, `A1:B2`, `A:A`, `1:2`, `A2:H`."""
    first, sep, second = cells.partition(":")
    row0, col0 = _parse_cell(first, text)
    if not sep:
        if row0 is None or col0 is None:
            raise RangeParseError(text)
        return A1Range(sheet, row0, col0, row0 + 1, col0 + 1)
    row1, col1 = _parse_cell(second, text)
    if (col0 is None) != (col1 is None) and row0 is None:
        raise RangeParseError(text)
    # Google accepts reversed corners (D4:A1) and answers with the normalised rectangle.
    start_row, end_row = row0, (row1 + 1 if row1 is not None else None)
    start_col, end_col = col0, (col1 + 1 if col1 is not None else None)
    if row0 is not None and row1 is not None:
        start_row, end_row = min(row0, row1), max(row0, row1) + 1
    if col0 is not None and col1 is not None:
        start_col, end_col = min(col0, col1), max(col0, col1) + 1
    return A1Range(sheet, start_row, start_col, end_row, end_col)


def parse(text: str) -> A1Range:
    """Parse a full A1 range; a text without `!` is returned as cells with sheet None (caller decides)."""
    if not text or not text.strip():
        raise RangeParseError(text)
    sheet, cells = split_sheet(text)
    if cells is None:
        return A1Range(sheet, whole_sheet=True)
    if sheet is not None and not sheet:
        raise RangeParseError(text)
    return parse_cells(sheet, cells, text)


def resolve(rng: A1Range, row_count: int, col_count: int) -> Bounds:
    """Close the open edges of a range against a grid size."""
    return Bounds(
        rng.start_row if rng.start_row is not None else 0,
        rng.start_col if rng.start_col is not None else 0,
        rng.end_row if rng.end_row is not None else row_count,
        rng.end_col if rng.end_col is not None else col_count,
    )


def quote_sheet(title: str) -> str:
    """Quote a sheet title the way Google does in echoed ranges."""
    if _PLAIN_NAME.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_bounds(title: str, bounds: Bounds) -> str:
    """`Sheet1!A1:B2`, or `Sheet1!A1` for a single cell."""
    start = f"{column_letters(bounds.start_col)}{bounds.start_row + 1}"
    end = f"{column_letters(bounds.end_col - 1)}{bounds.end_row}"
    cells = start if start == end else f"{start}:{end}"
    return f"{quote_sheet(title)}!{cells}"
