"""The Sheets emulator's in-memory model: spreadsheets, sheets and their grids, and the API error type."""

from __future__ import annotations

import copy
import random
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.defaults import DEFAULT_FORMAT, THEME, order_properties
from connectors.emulators.sheets.errors import bad_request, not_found, unparsable
from connectors.emulators.sheets.files import DriveFiles

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
ROW_PIXELS = 21
COL_PIXELS = 100

Json = dict[str, Any]
T = TypeVar("T")


def peek(items: list[T], index: int) -> T:
    """An item read without copying it, even from a write's working copy (cow.CowList): to read only."""
    return list.__getitem__(items, index)


@dataclass
class Sheet:
    """One tab: its properties, a row-major grid of CellData, and per-row/column DimensionProperties."""

    properties: Json
    rows: list[list[Json]] = field(default_factory=list, repr=False)
    row_meta: list[Json] = field(default_factory=list, repr=False)
    col_meta: list[Json] = field(default_factory=list, repr=False)
    merges: list[Json] = field(default_factory=list)
    conditional_formats: list[Json] = field(default_factory=list)
    protected_ranges: list[Json] = field(default_factory=list)
    basic_filter: Json | None = None
    developer_metadata: list[Json] = field(default_factory=list)
    row_groups: list[Json] = field(default_factory=list)
    column_groups: list[Json] = field(default_factory=list)

    def __post_init__(self) -> None:
        grid = self.properties.setdefault("gridProperties", {})
        grid.setdefault("rowCount", DEFAULT_ROWS)
        grid.setdefault("columnCount", DEFAULT_COLS)
        self.resize(grid["rowCount"], grid["columnCount"])

    @property
    def sheet_id(self) -> int:
        """The numeric sheetId."""
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        """The tab title."""
        return str(self.properties["title"])

    @property
    def row_count(self) -> int:
        """Grid rows."""
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def col_count(self) -> int:
        """Grid columns."""
        return int(self.properties["gridProperties"]["columnCount"])

    def resize(self, rows: int, cols: int) -> None:
        """Grow or shrink the grid, keeping what still fits."""
        del self.rows[rows:], self.row_meta[rows:], self.col_meta[cols:]
        self.rows.extend([] for _ in range(rows - len(self.rows)))
        self.row_meta.extend({} for _ in range(rows - len(self.row_meta)))
        self.col_meta.extend({} for _ in range(cols - len(self.col_meta)))
        for r in range(len(self.rows)):
            if len(peek(self.rows, r)) > cols:  # only rows that lose cells are reached (and copied)
                del self.rows[r][cols:]
        self.properties["gridProperties"]["rowCount"] = rows
        self.properties["gridProperties"]["columnCount"] = cols

    def cell(self, row: int, col: int) -> Json:
        """The CellData at a position ({} when empty)."""
        cells = self.rows[row]
        return cells[col] if col < len(cells) else {}

    def set_cell(self, row: int, col: int, data: Json) -> None:
        """Store a CellData, padding the row with empty cells."""
        cells = self.rows[row]
        if col >= len(cells):
            if not data:
                return
            cells.extend({} for _ in range(col + 1 - len(cells)))
        cells[col] = data

    def extent(self, bounds: a1.Bounds) -> tuple[int, int]:
        """Rows and columns within bounds up to the last non-empty cell (for trimming echoes)."""
        last_row, last_col = 0, 0
        for r in range(bounds.start_row, min(bounds.end_row, self.row_count)):
            row = peek(self.rows, r)
            for c in range(bounds.start_col, min(bounds.end_col, len(row))):
                if has_value(row[c]):
                    last_row = r - bounds.start_row + 1
                    last_col = max(last_col, c - bounds.start_col + 1)
        return last_row, last_col


def has_value(cell: Json) -> bool:
    """Whether a cell holds a user-entered value."""
    return bool(cell.get("userEnteredValue"))


@dataclass
class Spreadsheet:
    """A spreadsheet: properties, tabs, named ranges and spreadsheet-level developer metadata."""

    spreadsheet_id: str
    properties: Json
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[Json] = field(default_factory=list)
    developer_metadata: list[Json] = field(default_factory=list)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """The tab with this sheetId, if any."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        """The tab with this title (case-insensitive, as Google matches), if any."""
        return next((s for s in self.sheets if s.title.lower() == title.lower()), None)

    def reindex(self) -> None:
        """Renumber the tabs' `index` after an add, delete or move."""
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def resolve(self, text: str, clip: bool = False) -> tuple[Sheet, a1.Bounds]:
        """Resolve an A1 range (or a bare sheet name) to a tab and its bounds: Google's 400 when they go
        past the grid, or (`clip`) the part of them inside the grid."""
        stripped = text.strip()
        if "!" not in stripped and not stripped.startswith("'"):
            titled = self.sheet_by_title(stripped)
            if titled is not None:
                return titled, a1.Bounds(0, 0, titled.row_count, titled.col_count)
        try:
            rng = a1.parse(text)
        except a1.RangeParseError as exc:
            named = self._named(text)
            if named is None:
                raise unparsable(text) from exc
            return named
        found = self.sheets[0] if rng.sheet is None else self.sheet_by_title(rng.sheet)
        if found is None:
            raise unparsable(text)
        sheet = found
        if rng.whole_sheet:
            return sheet, a1.Bounds(0, 0, sheet.row_count, sheet.col_count)
        bounds = a1.resolve(rng, sheet.row_count, sheet.col_count)
        if clip:
            rows, cols = sheet.row_count, sheet.col_count
            inside = (min(bounds.start_row, rows), min(bounds.start_col, cols))
            return sheet, a1.Bounds(*inside, min(bounds.end_row, rows), min(bounds.end_col, cols))
        if bounds.end_row > sheet.row_count or bounds.end_col > sheet.col_count:
            raise bad_request(
                f"Range ({a1.format_bounds(sheet.title, bounds)}) exceeds grid limits. "
                f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
            )
        return sheet, bounds

    def _named(self, text: str) -> tuple[Sheet, a1.Bounds] | None:
        """A named range given as `Name` or `'Sheet'!Name`."""
        try:
            _, name = a1.split_sheet(text)
        except a1.RangeParseError:
            return None
        found = next((n for n in self.named_ranges if n["name"] == (name or "").strip()), None)
        sheet = self.sheet_by_id(int(found["range"].get("sheetId", 0))) if found else None
        if found is None or sheet is None:
            return None
        rng = found["range"]
        return sheet, a1.Bounds(
            int(rng.get("startRowIndex", 0)),
            int(rng.get("startColumnIndex", 0)),
            int(rng.get("endRowIndex", sheet.row_count)),
            int(rng.get("endColumnIndex", sheet.col_count)),
        )

    def next_sheet_id(self, rng: random.Random) -> int:
        """A fresh random sheetId, as Google assigns them."""
        while True:
            candidate = rng.randrange(1, 2**31 - 1)
            if self.sheet_by_id(candidate) is None:
                return candidate


class SheetsState:
    """Every spreadsheet the emulator holds, behind one lock (requests are applied one at a time).

    `drive` holds their Drive side: owners, permissions, versions, revisions, change listeners.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.drive = DriveFiles()
        self.lock = threading.RLock()
        self.random = random.Random(seed)
        self._metadata_ids = 0
        # Called with a spreadsheet id just before each batchUpdate on it (race.py's stakeholder edits).
        self.before_batch: list[Callable[[str], None]] = []

    def new_metadata_id(self) -> int:
        """A fresh developer metadata id."""
        self._metadata_ids += 1
        return self._metadata_ids

    def new_id(self) -> str:
        """A 44-character spreadsheet id like Google's."""
        alphabet = string.ascii_letters + string.digits + "-_"
        return "1" + "".join(self.random.choice(alphabet) for _ in range(43))

    def create(
        self, body: Json | None = None, spreadsheet_id: str | None = None, owner: str | None = None
    ) -> Spreadsheet:
        """Create a spreadsheet from a Spreadsheet body (properties and sheets[].properties) for `owner`."""
        body = copy.deepcopy(body or {})
        sid = spreadsheet_id or self.new_id()
        props = body.get("properties", {})
        props.setdefault("title", "Untitled spreadsheet")
        for key, value in (("locale", "en_US"), ("autoRecalc", "ON_CHANGE"), ("timeZone", "Etc/GMT")):
            props.setdefault(key, value)
        props.setdefault("defaultFormat", copy.deepcopy(DEFAULT_FORMAT))
        props.setdefault("spreadsheetTheme", copy.deepcopy(THEME))
        book = Spreadsheet(sid, props)
        for index, sheet_body in enumerate(body.get("sheets") or [{"properties": {}}]):
            sheet_props = sheet_body.get("properties", {})
            sheet_props.setdefault("sheetId", 0 if index == 0 else book.next_sheet_id(self.random))
            sheet_props.setdefault("title", f"Sheet{index + 1}")
            sheet_props.setdefault("sheetType", "GRID")
            book.sheets.append(Sheet(sheet_props))
        book.reindex()
        for sheet in book.sheets:
            order_properties(sheet.properties)
        self.spreadsheets[sid] = book
        self.drive.register(sid, owner)
        return book

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        """A spreadsheet by id, or Google's 404."""
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None:
            raise not_found()
        return book
