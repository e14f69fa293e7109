"""The names of what the last board reads held, so a message says "list 'Ideas'", not "list 6b0ea…12".

A connector learns them from each board snapshot (lists, labels, members, custom fields, cards, the board
itself) and from what it creates; each board's names are replaced by its next snapshot, so they stay
bounded however long the service runs. An id never seen is still shown as the id.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

_NAMED = ("lists", "labels", "members", "customFields", "cards")


class Names:
    """Trello ids → names, per board, from what this connector read and created (thread-safe)."""

    def __init__(self) -> None:
        self._boards: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def learn_board(self, board: Mapping[str, Any]) -> None:
        """Take every name of a board snapshot, replacing what the board's previous read said."""
        found: dict[str, str] = {}
        for key in _NAMED:
            for item in board.get(key) or ():
                if not isinstance(item, Mapping):
                    continue
                name = item.get("name") or item.get("fullName") or item.get("username")
                if item.get("id") and name:
                    found[str(item["id"])] = str(name)
        if board.get("id") and board.get("name"):
            found[str(board["id"])] = str(board["name"])
        with self._lock:
            self._boards[str(board.get("id") or "")] = found

    def learn(self, board_id: str | None, item: Mapping[str, Any]) -> None:
        """Take the name of one object created on `board_id` (None: the board holding its list)."""
        if not isinstance(item, Mapping) or not item.get("id") or not item.get("name"):
            return
        with self._lock:
            board = board_id or next(
                (b for b, names in self._boards.items() if str(item.get("idList")) in names), None
            )
            if board is not None and board in self._boards:
                self._boards[board][str(item["id"])] = str(item["name"])

    def of(self, kind: str, item_id: str) -> str:
        """ "list 'Ideas'" when the name is known, else "list 6b0e…" as given."""
        with self._lock:
            name = next((names[item_id] for names in self._boards.values() if item_id in names), None)
        return f"{kind} {item_id}" if name is None else f"{kind} '{name}'"
