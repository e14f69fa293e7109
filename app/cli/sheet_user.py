"""A simulated Google user of the demo: acts in the spreadsheet every few seconds, in a thread.

The stakeholder (stakeholder.py) edits two-way cells, the committee member (committee.py) types ideas;
both are shared the spreadsheet as writers by its owner, as a person would be in Drive.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import requests

from connectors.errors import ConnectorError
from connectors.sheets.auth import EMULATOR_TOKEN, emulator_credentials
from connectors.sheets.client import SheetsConnector

__all__ = ["SheetUser", "cell_text", "share_as_writer"]

log = logging.getLogger(__name__)


def cell_text(cell: dict[str, Any]) -> str:
    """A CellData's text as the sheet shows it ("" when empty)."""
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


class SheetUser(ABC):
    """Every `interval` seconds, `step()` acts as `email` in `tab`; what it did is said, failures logged."""

    role = "a Google user"  # in the log line of a failed step: "the stakeholder's edit failed"

    def __init__(
        self,
        sheets_url: str,
        spreadsheet_id: str,
        tab: str,
        *,
        email: str,
        interval: float,
        say: Callable[[str], None] = print,
    ) -> None:
        self._url, self._spreadsheet, self._tab, self._email = sheets_url, spreadsheet_id, tab, email
        self._interval, self._say = interval, say
        # `Bearer user:EMAIL` acts as that Google user on the emulator (docs/emulators.md, identities).
        self._sheets = SheetsConnector(emulator_credentials(f"user:{email}"), api_url=sheets_url)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"demo-{email}", daemon=True)

    @abstractmethod
    def step(self) -> str | None:
        """One action; what was done in plain words, or None when there was nothing to do."""

    def share(self) -> None:
        """The spreadsheet's owner shares it with this user as a writer."""
        share_as_writer(self._url, self._spreadsheet, self._email)

    def start(self) -> None:
        """Share the spreadsheet, then act in a background thread."""
        self.share()
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current action."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                done = self.step()
            except (ConnectorError, requests.RequestException) as exc:  # a hiccup must not end the demo
                log.warning("%s's action failed: %s", self.role, exc)
                continue
            if done:
                self._say(done)
