"""A simulated stakeholder for the demo: a Google user without a Trello account who edits the sheet.

She changes a date or a status in the two-way columns, as a person would in the browser; the service's
next run writes the change to Trello and the board follows.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import requests

from connectors.errors import ConnectorError
from connectors.sheets.auth import EMULATOR_TOKEN, emulator_credentials
from connectors.sheets.client import SheetsConnector

__all__ = ["STAKEHOLDER", "Stakeholder", "share_as_writer"]

log = logging.getLogger(__name__)

STAKEHOLDER = "dana@example.com"
SHEETS_EPOCH = date(1899, 12, 30)


def _text(cell: dict[str, Any]) -> str:
    return str(cell.get("formattedValue") or "")


def share_as_writer(sheets_url: str, spreadsheet_id: str, email: str) -> None:
    """The spreadsheet's owner shares it with `email` as a writer (Drive permissions.create)."""
    answer = requests.post(
        f"{sheets_url}/drive/v3/files/{spreadsheet_id}/permissions",
        headers={"Authorization": f"Bearer {EMULATOR_TOKEN}"},
        json={"type": "user", "role": "writer", "emailAddress": email},
        timeout=10,
    )
    answer.raise_for_status()


class Stakeholder:
    """Every `interval` seconds, edits one row's Date or Status in the tab, acting as `email`."""

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
        self._url, self._spreadsheet, self._tab, self._email = sheets_url, spreadsheet_id, tab, email
        self._interval = interval
        self._random = random.Random(seed)
        self._say = say
        # `Bearer user:EMAIL` acts as that Google user on the emulator (docs/emulators.md, identities).
        self._sheets = SheetsConnector(emulator_credentials(f"user:{email}"), api_url=sheets_url)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="demo-stakeholder", daemon=True)

    def share(self) -> None:
        """The spreadsheet's owner shares it with the stakeholder as a writer."""
        share_as_writer(self._url, self._spreadsheet, self._email)

    def start(self) -> None:
        """Share the spreadsheet, then edit in a background thread."""
        self.share()
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current edit."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def step(self) -> str | None:
        """One edit of the sheet; what she did in plain words, or None when there is nothing to edit."""
        snapshot = self._sheets.read_tab(self._spreadsheet, self._tab)
        rows, sheet_id = snapshot.rows, int(snapshot.sheet_id)
        # The header is row 1, or row 2 under the pair's freshness line (sheet.freshness).
        top = next(
            (i for i, r in enumerate(rows[:3]) if {"Title", "Date", "Status"} <= {_text(c) for c in r}), None
        )
        if top is None or len(rows) < top + 2:
            return None
        headers = [_text(c) for c in rows[top]]
        at = headers.index("Status")
        statuses = sorted({_text(r[at]) for r in rows[top + 1 :] if len(r) > at})
        row = self._random.randrange(top + 1, len(rows))
        cells = rows[row] + [{}] * (len(headers) - len(rows[row]))
        title = _text(cells[headers.index("Title")])
        if not title:
            return None
        serial = (cells[headers.index("Date")].get("userEnteredValue") or {}).get("numberValue")
        others = [s for s in statuses if s and s != _text(cells[at])]
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

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                done = self.step()
            except (ConnectorError, requests.RequestException) as exc:  # a hiccup must not end the demo
                log.warning("the stakeholder's edit failed: %s", exc)
                continue
            if done:
                self._say(done)
