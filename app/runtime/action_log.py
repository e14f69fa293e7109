"""Trello actions into the change log, whoever brought them: a webhook delivery or a run's board read.

Each action is logged once, by id (the store's seen actions), for every pair syncing its board; the
records are the ones webhooks always made (app/core/changes.py), so every entry reads the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from app.config.models import Config, Pair
from app.core.changes import change_records
from app.core.records import ChangeRecord
from app.runtime.own_writes import Echoes, claimed

__all__ = ["ActionMarks", "action_changes", "log_board_actions", "read_board_logging"]


class ActionMarks(Protocol):
    """Marking actions seen with their changes, and where each pair's runs stopped reading (Store fits)."""

    def take_actions(
        self, action_ids: Sequence[str], changes_for: Callable[[set[str], Echoes], Sequence[ChangeRecord]]
    ) -> set[str]: ...

    def action_mark(self, pair: str) -> tuple[str, str] | None: ...

    def save_action_mark(self, pair: str, action_id: str, action_date: str) -> None: ...


class BoardReader(Protocol):
    """The Trello call a run reads its board with (TrelloConnector fits)."""

    def board_with_actions(self, board_id: str, since: str | None) -> dict[str, Any]: ...


def action_changes(
    action: dict[str, Any], boards: Mapping[str, str], now: datetime, echoes: Echoes | None = None
) -> list[ChangeRecord]:
    """One action's change-log rows for every pair in `boards` (pair -> board id); the `echoes` of our
    own writes (two-way cells, by our token's member, noted by any process) left out: the sheet's own
    row already logs them."""
    by = action.get("idMemberCreator")
    return [
        change
        for pair, board in boards.items()
        for change in change_records(pair, board, action, received_at=now)
        if echoes is None or not claimed(echoes, change.card_id, change.field, change.card_name, by)
    ]


def _action_id(action: dict[str, Any]) -> str | None:
    found = action.get("id")
    return found if isinstance(found, str) and found else None


def log_board_actions(
    log: ActionMarks,
    pair: str,
    boards: Mapping[str, str],
    actions: Any,
    *,
    start: bool,
    now: datetime,
) -> int:
    """Log a run's board actions (newest first, as Trello lists them), oldest first; save the pair's mark.

    The actions are marked seen and their changes logged in ONE transaction (as webhooks are): a process
    dying half way leaves every action either logged or unmarked, so the next read logs it. `start` (the
    pair's first read: only the newest action, to start from) logs nothing. Returns how many actions
    were new to the change log.
    """
    found = [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []
    logged = 0
    if not start:
        oldest_first = list(reversed(found))
        ids = list(dict.fromkeys(i for i in map(_action_id, oldest_first) if i is not None))

        def changes_for(new: set[str], echoes: Echoes) -> list[ChangeRecord]:
            """The rows of the actions no replica had seen, each id once (pages may repeat one), echoes
            of our own writes left out."""
            nonlocal logged
            left, fresh = set(new), []
            for action in oldest_first:
                action_id = _action_id(action)
                if action_id is None or action_id in left:
                    left.discard(action_id or "")
                    fresh.append(action)
            logged = len(fresh)
            return [change for action in fresh for change in action_changes(action, boards, now, echoes)]

        log.take_actions(ids, changes_for)
    newest = next((a for a in found if isinstance(a.get("id"), str) and isinstance(a.get("date"), str)), None)
    if newest is not None:
        log.save_action_mark(pair, newest["id"], newest["date"])
    return logged


def read_board_logging(
    trello: BoardReader,
    log: ActionMarks,
    config: Config,
    spec: Pair,
    now: datetime,
) -> dict[str, Any]:
    """The pair's board (1 Trello request while its new actions fit a page), its actions logged.

    The read asks for the actions after the pair's mark (webhooks or not, every change reaches the log);
    they are logged for every pair syncing the board, and the mark moves to the newest.
    """
    mark = log.action_mark(spec.name)
    board = trello.board_with_actions(spec.trello.board, None if mark is None else mark[0])
    actions = board.pop("actions", None)
    board_id = str(board.get("id") or spec.trello.board)
    refs = {spec.trello.board, board_id, str(board.get("shortLink") or board_id)}
    boards = {other.name: board_id for other in config.pairs if other.trello.board in refs}
    log_board_actions(log, spec.name, boards, actions, start=mark is None, now=now)
    return board
