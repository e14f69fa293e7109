"""A simulated stakeholder for the demo: a Google user without a Trello account who edits the sheet.

She changes a date or a status in the two-way columns, as a person would in the browser; the service's
next run writes the change to Trello and the board follows.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import date, timedelta

from app.cli.sheet_user import SheetUser, cell_text

__all__ = ["STAKEHOLDER", "Stakeholder"]

log = logging.getLogger(__name__)

STAKEHOLDER = "dana@example.com"
SHEETS_EPOCH = date(1899, 12, 30)


class Stakeholder(SheetUser):
    """Every `interval` seconds, edits one row's Date or Status in the tab, acting as `email`."""

    role = "the stakeholder"

    def __init__(
        self,
        sheets_url: str,
        spreadsheet_id: str,
        tab: str,
        *,
        email: str = STAKEHOLDER,
        interval: float = 10.0,
        seed: int | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        super().__init__(sheets_url, spreadsheet_id, tab, email=email, interval=interval, say=say)
        self._random = random.Random(seed)

    def step(self) -> str | None:
        """One edit of the sheet; what she did in plain words, or None when there is nothing to edit."""
        snapshot = self._sheets.read_tab(self._spreadsheet, self._tab)
        rows, sheet_id = snapshot.rows, int(snapshot.sheet_id)
        # The header is row 1, or row 2 under the pair's freshness line (sheet.freshness).
        top = next(
            (i for i, r in enumerate(rows[:3]) if {"Title", "Date", "Status"} <= {cell_text(c) for c in r}),
            None,
        )
        if top is None or len(rows) < top + 2:
            return None
        headers = [cell_text(c) for c in rows[top]]
        at = headers.index("Status")
        statuses = sorted({cell_text(r[at]) for r in rows[top + 1 :] if len(r) > at})
        row = self._random.randrange(top + 1, len(rows))
        cells = rows[row] + [{}] * (len(headers) - len(rows[row]))
        title = cell_text(cells[headers.index("Title")])
        if not title:
            return None
        serial = (cells[headers.index("Date")].get("userEnteredValue") or {}).get("numberValue")
        others = [s for s in statuses if s and s != cell_text(cells[at])]
        if isinstance(serial, float) and (self._random.random() < 0.5 or not others):
            day = SHEETS_EPOCH + timedelta(days=int(serial) + self._random.choice((1, 2, 3)))
            self._type(
                sheet_id, row, headers.index("Date"), day.isoformat()
            )  # a date-only value: a date-only due
            return f"{self._email} (the sheet) moved the date of “{title}” to {day:%a %d %b}"
        if not others:
            return None
        status = self._random.choice(others)
        self._type(sheet_id, row, at, status)
        return f"{self._email} (the sheet) set the status of “{title}” to {status}"

    def _type(self, sheet_id: int, row: int, column: int, text: str) -> None:
        """Type text into one cell, as the stakeholder."""
        start = {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column}
        cell = {"userEnteredValue": {"stringValue": text}}
        body = {"updateCells": {"start": start, "rows": [{"values": [cell]}], "fields": "userEnteredValue"}}
        self._sheets.batch_update(self._spreadsheet, [body])
