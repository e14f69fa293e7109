"""Names of Trello list-field options: webhooks report a list field's change as option ids, people read text.

Learned from every board read (the run fetches the whole board anyway), so no request is ever made for it;
an id not seen yet is shown as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.core.records import ChangeRecord


def option_texts(board: Mapping[str, Any]) -> dict[str, str]:
    """Option id -> text for every list custom field of a board JSON."""
    texts: dict[str, str] = {}
    for field in board.get("customFields") or []:
        for option in (field.get("options") or []) if isinstance(field, dict) else []:
            text = (option.get("value") or {}).get("text") if isinstance(option, dict) else None
            if isinstance(text, str) and isinstance(option.get("id"), str):
                texts[option["id"]] = text
    return texts


class OptionNames:
    """Every option text seen so far in this process (thread-safe)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()

    def learn(self, board: Mapping[str, Any]) -> None:
        """Remember the option texts of a board read."""
        texts = option_texts(board)
        with self._lock:
            self._texts.update(texts)

    def named(self, change: ChangeRecord) -> ChangeRecord:
        """The change with option ids of a custom field replaced by their text."""
        if not change.field.startswith("custom:"):
            return change
        with self._lock:
            before = self._texts.get(change.before or "", change.before)
            after = self._texts.get(change.after or "", change.after)
        return replace(change, before=before, after=after)
