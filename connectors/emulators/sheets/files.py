"""The Drive side of the emulator's state: metadata per spreadsheet, group members, sent sharing e-mails,
and the listeners told about every change (push channels, edit hints).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.errors import drive_error
from connectors.emulators.sheets.sharing import SEED_OWNER, FileMeta

Json = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One change to a file, as push channels and edit hints need it.

    `changed` is Drive's X-Goog-Changed vocabulary (content, properties, permissions); `state` the
    X-Goog-Resource-State (update, remove); `edits` the (sheetId, title, A1 range) of cells whose values
    changed, for the on-edit hint.
    """

    file_id: str
    user: Identity
    changed: frozenset[str]
    state: str = "update"
    edits: tuple[tuple[int, str, str], ...] = ()


Listener = Callable[[Change], None]


@dataclass
class DriveFiles:
    """Every spreadsheet's Drive metadata, the group table, the outbox and change listeners."""

    metas: dict[str, FileMeta] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    outbox: list[Json] = field(default_factory=list)  # sharing e-mails Drive would have sent
    listeners: list[Listener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def register(self, file_id: str, owner: str | None) -> FileMeta:
        """Metadata for a new spreadsheet owned by `owner` (the seed owner when made in-process)."""
        meta = FileMeta(owner or SEED_OWNER)
        self.metas[file_id] = meta
        return meta

    def meta(self, file_id: str) -> FileMeta:
        """A spreadsheet's metadata (made for the seed owner if the spreadsheet came in another way)."""
        found = self.metas.get(file_id)
        return found if found is not None else self.register(file_id, None)

    def forget(self, file_id: str) -> None:
        """Drop a deleted file's metadata."""
        self.metas.pop(file_id, None)

    def notify(self, change: Change) -> None:
        """Tell every listener (they queue work; none blocks the request)."""
        for listener in list(self.listeners):
            listener(change)

    def members(self, group: str) -> set[str]:
        """The e-mails in a group (lower case)."""
        return set(self.groups.get(group.lower(), set()))

    def set_members(self, group: str, emails: list[str]) -> None:
        """Replace a group's members."""
        self.groups[group.lower()] = {e.lower() for e in emails}


def file_not_found(file_id: str) -> Exception:
    """Drive's 404 for a file that does not exist or that the caller cannot see."""
    return drive_error(404, f"File not found: {file_id}.", "notFound", "fileId")


def insufficient(message: str = "The user does not have sufficient permissions for this file.") -> Exception:
    """Drive's 403 for a caller whose role is too weak."""
    return drive_error(403, message, "insufficientFilePermissions")
