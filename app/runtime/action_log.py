"""Trello actions into the change log, whoever brought them: a webhook delivery or a run's board read.

Each action is logged once, by id (the store's seen actions), for every pair syncing its board; the
records are the ones webhooks always made (app/core/changes.py), so every entry reads the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from app.config.models import Config, Pair
from app.core.changes import change_records
from app.core.records import ChangeRecord
from app.runtime.own_writes import OwnWrites

__all__ = [
    "ActionLog",
    "ActionMarks",
    "log_action",
    "log_board_actions",
    "read_board_logging",
    "record_action",
]


class ActionLog(Protocol):
    """The store methods logging an action needs (Store fits)."""

    def mark_action_seen(self, action_id: str) -> bool: ...

    def forget_action(self, action_id: str) -> None: ...

    def record_changes(self, changes: Sequence[ChangeRecord]) -> None: ...


class ActionMarks(ActionLog, Protocol):
    """ActionLog plus where each pair's runs stopped reading actions (Store fits)."""

    def action_mark(self, pair: str) -> tuple[str, str] | None: ...

    def save_action_mark(self, pair: str, action_id: str, action_date: str) -> None: ...


class BoardReader(Protocol):
    """The Trello call a run reads its board with (TrelloConnector fits)."""

    def board_with_actions(self, board_id: str, since: str | None) -> dict[str, Any]: ...


def log_action(
    log: ActionLog,
    action: dict[str, Any],
    boards: Mapping[str, str],
    now: datetime,
    own: OwnWrites | None = None,
) -> bool:
    """Record one action's changes for every pair in `boards` (pair -> board id); False if seen before."""
    action_id = action.get("id")
    if isinstance(action_id, str) and action_id and not log.mark_action_seen(action_id):
        return False
    record_action(log, action, boards, now, own)
    return True


def record_action(
    log: ActionLog,
    action: dict[str, Any],
    boards: Mapping[str, str],
    now: datetime,
    own: OwnWrites | None = None,
) -> None:
    """Record the changes of an action already marked seen; a failure un-marks it (and raises), so its
    next delivery or read logs it. Echoes of `own` writes (two-way cells) are left out: the sheet's own
    row already logs them."""
    changes = [
        change
        for pair, board in boards.items()
        for change in change_records(pair, board, action, received_at=now)
        if own is None or not own.claim(change.card_id, change.field)
    ]
    try:
        if changes:
            log.record_changes(changes)
    except Exception:
        action_id = action.get("id")
        if isinstance(action_id, str) and action_id:
            log.forget_action(action_id)
        raise


def log_board_actions(
    log: ActionMarks,
    pair: str,
    boards: Mapping[str, str],
    actions: Any,
    *,
    start: bool,
    now: datetime,
    own: OwnWrites | None = None,
) -> int:
    """Log a run's board actions (newest first, as Trello lists them), oldest first; save the pair's mark.

    `start` (the pair's first read: only the newest action, to start from) logs nothing. Returns how many
    actions were new to the change log.
    """
    found = [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []
    logged = 0
    if not start:
        logged = sum(log_action(log, action, boards, now, own) for action in reversed(found))
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
    own: OwnWrites | None = None,
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
    log_board_actions(log, spec.name, boards, actions, start=mark is None, now=now, own=own)
    return board
