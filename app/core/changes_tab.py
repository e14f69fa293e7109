"""Change-log records -> the batchUpdate requests appending them to a pair's Changes tab (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.mapping import date_cell, text_cell
from app.core.model import Cell
from app.core.records import ChangeRecord
from app.core.render import cell_data, fields_mask

Request = dict[str, Any]
HEADERS = ("When", "Who", "Card", "Field", "Before", "After")
BOLD_MASK = "userEnteredFormat.textFormat.bold"
CARD_URL = "https://trello.com/c/{card_id}"


def change_cells(change: ChangeRecord, timezone: str) -> list[Cell]:
    """One row: when (a date-time cell in the pair's zone), who, card (linked), field, before, after."""
    when = date_cell(change.at, timezone)
    if when.number_format == "DATE":
        when = Cell(when.value, number_format="DATE_TIME")  # a change at midnight still shows its time
    card = text_cell(change.card_name or change.card_id)
    if card.value is not None and change.card_id:
        card = Cell(card.value, link=CARD_URL.format(card_id=change.card_id))
    return [
        when,
        text_cell(change.member),
        card,
        text_cell(change.field),
        text_cell(change.before or ""),
        text_cell(change.after or ""),
    ]


def _header_row() -> list[dict[str, Any]]:
    """The header cells, bold."""
    return [
        {**cell_data(Cell(header)), "userEnteredFormat": {"textFormat": {"bold": True}}} for header in HEADERS
    ]


def _add_sheet(sheet_id: int, title: str) -> Request:
    """addSheet for a missing Changes tab, with the id we chose and its header row frozen."""
    properties = {"sheetId": sheet_id, "title": title, "gridProperties": {"frozenRowCount": 1}}
    return {"addSheet": {"properties": properties}}


def changes_requests(
    changes: Sequence[ChangeRecord],
    *,
    title: str,
    timezone: str,
    sheet_id: int | None,
    has_header: bool,
    new_id: int = 1,
) -> list[Request]:
    """Requests appending `changes` to the tab; `sheet_id` None adds the tab as `new_id` (with a header).

    Nothing at all when there is nothing to add and the tab exists, so a quiet run stays write-free.
    """
    requests: list[Request] = []
    if sheet_id is None:
        sheet_id = new_id
        requests.append(_add_sheet(sheet_id, title))
        has_header = False
    elif not changes:
        return []
    rows: list[dict[str, Any]] = [] if has_header else [{"values": _header_row()}]
    cells = [cell for change in changes for cell in change_cells(change, timezone)]
    rows += [
        {"values": [cell_data(cell) for cell in cells[start : start + len(HEADERS)]]}
        for start in range(0, len(cells), len(HEADERS))
    ]
    mask = fields_mask(cells) + ("" if has_header else "," + BOLD_MASK)
    requests.append({"appendCells": {"sheetId": sheet_id, "rows": rows, "fields": mask}})
    return requests
