"""A tab read in one spreadsheets.get: the field masks it asks with, and its answer as a `TabSnapshot`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

VALUE_KEYS = ("userEnteredValue", "effectiveValue", "formattedValue")
# Protected ranges come with every read: a run plans its protections without another request.
PROTECTED_FIELDS = (
    "protectedRanges(protectedRangeId,description,range,editors,warningOnly,requestingUserCanEdit),"
)
READ_FIELDS = (
    "spreadsheetUrl,properties.title,"
    "sheets(properties(sheetId,title,gridProperties),"
    + PROTECTED_FIELDS
    + "data(rowData(values(userEnteredValue,effectiveValue,formattedValue)),"
    "rowMetadata(developerMetadata),columnMetadata(developerMetadata)))"
)
# With formats: rich text, notes, cell formats, row heights, column widths and hidden columns, the
# conditional formats and protected ranges of every tab read. Google applies one mask to every range.
FORMAT_READ_FIELDS = (
    "spreadsheetUrl,properties.title,"
    "sheets(properties(sheetId,title,gridProperties),conditionalFormats,"
    + PROTECTED_FIELDS
    + "data(rowData(values(userEnteredValue,effectiveValue,formattedValue,hyperlink,note,textFormatRuns,"
    "userEnteredFormat)),rowMetadata(pixelSize,developerMetadata),columnMetadata(developerMetadata,pixelSize,hiddenByUser)))"
)


@dataclass(frozen=True)
class TabSnapshot:
    """One tab as read in a single request: grid properties, typed cells and column developer metadata."""

    spreadsheet_id: str
    sheet_id: int
    title: str
    row_count: int
    column_count: int
    frozen_rows: int
    # CellData per cell as the API returns it; row 0 is the header; trailing empties trimmed, gaps are {}.
    rows: list[list[dict[str, Any]]]
    # developerMetadata of each column (index = column).
    column_metadata: list[list[dict[str, Any]]]
    # Tabs asked for with read_tab(also=... or whole=...) that exist, by the asked title.
    others: dict[str, TabSnapshot] = field(default_factory=dict)
    # Read with formats=True only: DimensionProperties per row and per column (pixelSize, hiddenByUser),
    # the tab's conditional format rules; its protected ranges come with every read. As the API returns them.
    row_properties: list[dict[str, Any]] = field(default_factory=list)
    column_properties: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    # The spreadsheet's title and link, from the same answer (for people: the status page).
    spreadsheet_title: str = ""
    spreadsheet_url: str = ""
    # developerMetadata of each row (index = grid row): where the rows' anchors are as read.
    row_metadata: list[list[dict[str, Any]]] = field(default_factory=list)


def quote_tab(tab: str) -> str:
    """A tab title as an A1 range naming the whole tab: single-quoted, inner quotes doubled."""
    return "'" + tab.replace("'", "''") + "'"


def with_others(
    spreadsheet_id: str, tab: str, also: Sequence[str], sheets: list[dict[str, Any]]
) -> TabSnapshot:
    """The main tab's snapshot with the `also` tabs attached (Google answers in the spreadsheet's order)."""
    snapshots = [snapshot_of(spreadsheet_id, sheet) for sheet in sheets]
    if not also:
        return snapshots[0]
    by_title = {snapshot.title.casefold(): snapshot for snapshot in snapshots}
    main = by_title.pop(tab.casefold())
    others = {name: by_title[name.casefold()] for name in also if name.casefold() in by_title}
    return replace(main, others=others)


def snapshot_of(spreadsheet_id: str, sheet: dict[str, Any]) -> TabSnapshot:
    """Build a TabSnapshot from one `Sheet` object of a spreadsheets.get answer."""
    properties = sheet["properties"]
    grid = properties.get("gridProperties", {})
    data = sheet.get("data") or [{}]
    # A whole-tab range yields one GridData starting at A1.
    block = data[0]
    rows = trim_rows([row.get("values", []) for row in block.get("rowData", [])])
    columns = block.get("columnMetadata", [])
    metadata = [column.get("developerMetadata", []) for column in columns]
    row_entries = list(block.get("rowMetadata", []))
    # Row sizes and flags come only with formats; the anchors' developerMetadata comes with every read.
    row_properties = [{k: v for k, v in row.items() if k != "developerMetadata"} for row in row_entries]
    row_properties = row_properties if any(row_properties) else []
    return TabSnapshot(
        spreadsheet_id=spreadsheet_id,
        sheet_id=int(properties["sheetId"]),
        title=str(properties["title"]),
        row_count=int(grid.get("rowCount", 0)),
        column_count=int(grid.get("columnCount", 0)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        rows=rows,
        column_metadata=metadata,
        row_properties=row_properties,
        row_metadata=[row.get("developerMetadata", []) for row in row_entries],
        column_properties=list(columns),
        conditional_formats=list(sheet.get("conditionalFormats", [])),
        protected_ranges=list(sheet.get("protectedRanges", [])),
    )


def is_empty(cell: dict[str, Any]) -> bool:
    """True for a cell with no value (formatting alone does not make a cell non-empty)."""
    return not any(key in cell for key in VALUE_KEYS)


def trim_rows(rows: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows with trailing empty cells and trailing empty rows removed; interior empty cells become {}."""
    trimmed: list[list[dict[str, Any]]] = []
    for row in rows:
        cells = [{} if is_empty(cell) else cell for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        trimmed.append(cells)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
