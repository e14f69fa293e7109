"""Who edited a pair's sheet: the instant-mode hint's editor, else Drive's last modifier (approximate).

The two-way change log asks `Attribution.editor(pair, since=...)` when it records a sheet-side change.
A verified hint newer than `since` names the editor exactly (the on-edit event's user, when Google gives
it: https://developers.google.com/apps-script/guides/triggers/events, `e.user`). Otherwise Drive's file
metadata names who modified the spreadsheet last (files.get lastModifyingUser): the whole file's last
writer, not the cell's, hence `approximate`; our own writes (User.me) name nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from app.core.error_text import describe_error
from app.store.drive_state import SheetEdit
from connectors.drive.client import LastEdit
from connectors.errors import ConnectorError

__all__ = ["Attribution", "Editor"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Editor:
    """A person who edited the sheet: e-mail (may be empty when Google hides it), display name, how sure."""

    email: str
    name: str
    approximate: bool
    source: Literal["hint", "drive"]

    def label(self) -> str:
        """How the change log names them: "chief@example.org", or "~chief@example.org (approximate)"."""
        who = self.email or self.name or "someone"
        return f"~{who} (approximate)" if self.approximate else who


class EditHistory(Protocol):
    """The last verified hint of a pair (Store fits)."""

    def last_sheet_edit(self, pair: str) -> SheetEdit | None: ...


class LastEditApi(Protocol):
    """Drive's last modifier of a file (DriveConnector fits)."""

    def last_edit(self, file_id: str) -> LastEdit: ...


class Editors(Protocol):
    """Who edited a pair's sheet since a moment (Attribution fits); the Syncer's change log names them."""

    def editor(self, pair: str, *, since: datetime | None = None) -> Editor | None: ...


class Attribution:
    """Answers "who edited this pair's sheet?" (thread-safe; a Drive look-up costs one Drive call)."""

    def __init__(
        self,
        history: EditHistory,
        drive: LastEditApi | None,
        spreadsheet_of: Callable[[str], str],
    ) -> None:
        """`drive` None: hints only; `spreadsheet_of(pair)` names the pair's spreadsheet id."""
        self._history, self._drive, self._spreadsheet_of = history, drive, spreadsheet_of

    def editor(self, pair: str, *, since: datetime | None = None) -> Editor | None:
        """The best-known editor of `pair`'s sheet since `since` (e.g. the previous run), or None."""
        hint = self._history.last_sheet_edit(pair)
        if hint is not None and hint.editor and (since is None or hint.received_at >= since):
            return Editor(hint.editor, "", approximate=False, source="hint")
        return self._from_drive(pair)

    def _from_drive(self, pair: str) -> Editor | None:
        """Drive's last modifier of the pair's spreadsheet, unless it is us; failures name nobody."""
        if self._drive is None:
            return None
        try:
            last = self._drive.last_edit(self._spreadsheet_of(pair))
        except ConnectorError as exc:
            log.warning("could not ask Drive who edited pair %s: %s", pair, describe_error(exc))
            return None
        if last.me or not (last.email or last.name):
            return None
        return Editor(last.email, last.name, approximate=True, source="drive")
