"""A simulated brainstorm committee member for the demo: a Google user who types ideas into the Ideas tab.

She types one idea (its name, why, and network) into the first free row, as a person would in the
browser; the service's next run turns the row into a card in the Ideas list and writes the card's id, link
and list into the row (the demo's `intake`, demo.yaml).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.cli.sheet_user import SheetUser, cell_text

__all__ = ["COMMITTEE_MEMBER", "IDEAS", "Committee"]

log = logging.getLogger(__name__)

COMMITTEE_MEMBER = "cora@example.com"
IDEAS = (
    ("Studio tour reel", "People ask how we work", "Instagram"),
    ("Five myths about product photos", "Our most asked questions", "LinkedIn"),
    ("Launch day countdown", "Builds up the spring launch", "X"),
)


class Committee(SheetUser):
    """Every `interval` seconds, types the next of IDEAS into the intake tab, acting as `email`."""

    role = "the committee member"

    def __init__(
        self,
        sheets_url: str,
        spreadsheet_id: str,
        tab: str = "Ideas",
        *,
        email: str = COMMITTEE_MEMBER,
        interval: float = 20.0,
        say: Callable[[str], None] = print,
    ) -> None:
        super().__init__(sheets_url, spreadsheet_id, tab, email=email, interval=interval, say=say)
        self._next = 0

    def step(self) -> str | None:
        """Type the next idea; what she did in plain words, or None (no header yet, or no idea left)."""
        if self._next >= len(IDEAS):
            return None
        snapshot = self._sheets.read_tab(self._spreadsheet, self._tab)
        headers = [cell_text(c) for c in snapshot.rows[0]] if snapshot.rows else []
        if not {"Idea", "Why", "Network"} <= set(headers):
            return None  # the service writes the tab's header at its first run
        row = len(snapshot.rows)  # the first row below the last one with anything in it
        name, why, network = IDEAS[self._next]
        cells = {headers.index("Idea"): name, headers.index("Why"): why, headers.index("Network"): network}
        values = [{"userEnteredValue": {"stringValue": cells.get(c, "")}} for c in range(max(cells) + 1)]
        start = {"sheetId": int(snapshot.sheet_id), "rowIndex": row, "columnIndex": 0}
        body = {"updateCells": {"start": start, "rows": [{"values": values}], "fields": "userEnteredValue"}}
        self._sheets.batch_update(self._spreadsheet, [body])
        self._next += 1
        return f"{self._email} (the committee) added the idea “{name}” to the {self._tab} tab"
