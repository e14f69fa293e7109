"""The configured boards: which pairs sync a board, by id or short link, and each board's webhook text.

The YAML may name a board by short link; webhooks and actions name it by id. Ids are learned once per
short link (one board read each) and kept for the life of the process.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any, Protocol

from app.config.models import Config

__all__ = ["BoardApi", "BoardDirectory", "is_board_id"]

_BOARD_ID = re.compile(r"[0-9a-f]{24}")
WEBHOOK_DESCRIPTION = "boardsheet:"


class BoardApi(Protocol):
    """What resolving a short link to a board id needs (TrelloConnector fits)."""

    def board_snapshot(self, board_id: str) -> dict[str, Any]: ...


def is_board_id(ref: str) -> bool:
    """True for a 24-hex Trello object id (else the reference is a short link)."""
    return _BOARD_ID.fullmatch(ref) is not None


class BoardDirectory:
    """Board references of the YAML resolved to ids (thread-safe; ids are learned once)."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._ids: dict[str, str] = {ref: ref for ref in self._refs() if is_board_id(ref)}

    def _refs(self) -> list[str]:
        return [pair.trello.board for pair in self._config.pairs]

    def resolve(self, trello: BoardApi, refs: Iterable[str] | None = None) -> dict[str, str]:
        """Learn the id of every short link not known yet (1 request each); returns ref -> id.

        Raises ConnectorError when Trello cannot be read, ValueError when it answers without an id.
        """
        for ref in refs if refs is not None else self._refs():
            with self._lock:
                if ref in self._ids:
                    continue
            board_id = ref if is_board_id(ref) else trello.board_snapshot(ref).get("id")
            if not isinstance(board_id, str) or not board_id:
                raise ValueError(f"Trello answered board {ref} without an id")
            with self._lock:
                self._ids[ref] = board_id
        with self._lock:
            return dict(self._ids)

    def board_id(self, pair: str) -> str:
        """The id of a pair's board once known, else the reference the YAML gives."""
        ref = self._config.pair(pair).trello.board
        with self._lock:
            return self._ids.get(ref, ref)

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]:
        """The pairs syncing a board, whether the YAML names it by id or by short link."""
        refs = {r for r in (board_id, short_link) if r}
        with self._lock:
            ids = dict(self._ids)
        return [
            p.name for p in self._config.pairs if p.trello.board in refs or ids.get(p.trello.board) in refs
        ]

    def webhook_descriptions(self, trello: BoardApi) -> dict[str, str]:
        """Board id -> webhook description ("boardsheet: pair-a pair-b") for every configured board."""
        ids = self.resolve(trello)
        boards: dict[str, str] = {}
        for pair in self._config.pairs:
            board_id = ids[pair.trello.board]
            boards[board_id] = (boards.get(board_id, WEBHOOK_DESCRIPTION) + f" {pair.name}").strip()
        return boards
