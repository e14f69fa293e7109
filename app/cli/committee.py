"""A simulated brainstorm committee member for the demo: a Google user who types ideas into the Ideas tab.

She types one idea (its name, why, and network) into the first free row, as a person would in the
browser; the service's next run turns the row into a card in the Ideas list and writes the card's id, link
and list into the row (the demo's `intake`, demo.yaml).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import requests

from app.cli.stakeholder import share_as_writer
from connectors.errors import ConnectorError
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector

__all__ = ["COMMITTEE_MEMBER", "IDEAS", "Committee"]

log = logging.getLogger(__name__)

COMMITTEE_MEMBER = "cora@example.com"
IDEAS = (
    ("Studio tour reel", "People ask how we work", "Instagram"),
    ("Five myths about product photos", "Our most asked questions", "LinkedIn"),
    ("Launch day countdown", "Builds up the spring launch", "X"),
)


def _text(cell: dict[str, Any]) -> str:
    return str(cell.get("formattedValue") or "")


class Committee:
    """Every `interval` seconds, types the next of IDEAS into the intake tab, acting as `email`."""

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
        self._url, self._spreadsheet, self._tab, self._email = sheets_url, spreadsheet_id, tab, email
        self._interval, self._say = interval, say
        self._next = 0
        # `Bearer user:EMAIL` acts as that Google user on the emulator (docs/emulators.md, identities).
        self._sheets = SheetsConnector(emulator_credentials(f"user:{email}"), api_url=sheets_url)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="demo-committee", daemon=True)

    def share(self) -> None:
        """The owner shares the spreadsheet with her as a writer (the Ideas tab's protection: the rest)."""
        share_as_writer(self._url, self._spreadsheet, self._email)

    def start(self) -> None:
        """Share the spreadsheet, then type ideas in a background thread."""
        self.share()
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current idea."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def step(self) -> str | None:
        """Type the next idea; what she did in plain words, or None (no header yet, or no idea left)."""
        if self._next >= len(IDEAS):
            return None
        snapshot = self._sheets.read_tab(self._spreadsheet, self._tab)
        headers = [_text(c) for c in snapshot.rows[0]] if snapshot.rows else []
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

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                done = self.step()
            except (ConnectorError, requests.RequestException) as exc:  # a hiccup must not end the demo
                log.warning("the committee's idea failed: %s", exc)
                continue
            if done:
                self._say(done)
