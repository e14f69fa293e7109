"""A verified Trello webhook body, taken in: dedupe by action id, log its changes, request runs.

A webhook is a hint, not data: nothing here calls Trello or Google, and every run re-reads both sides.
The web layer checks size and signature and parses the JSON; this is what happens next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from app.runtime.action_log import ActionLog, record_action
from app.runtime.own_writes import OwnWrites

__all__ = ["Outcome", "WebhookIntake"]

Outcome = Literal["accepted", "duplicate", "ignored", "unknown_board"]
Clock = Callable[[], float]


class BoardLookup(Protocol):
    """Which pairs sync a board (BoardDirectory fits)."""

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]: ...

    def board_id(self, pair: str) -> str: ...


class RunRequests(Protocol):
    """Where runs are asked for (CoordinatorGroup fits)."""

    def request(self, name: str, reason: str, *, force: bool = False) -> bool: ...


class WebhookFacts(Protocol):
    """Where accepted webhooks are noted for /status (RunTracker fits)."""

    def webhook(self, pair: str) -> None: ...


def _action_of(payload: Any) -> dict[str, Any] | None:
    """The action of a webhook body (`{"action": ..., "model": ...}`), or of a bare recorded action."""
    if not isinstance(payload, dict):
        return None
    action = payload.get("action")
    if isinstance(action, dict):
        return action
    return payload if isinstance(payload.get("data"), dict) and "id" in payload else None


def _board_of(payload: dict[str, Any], action: dict[str, Any]) -> tuple[str | None, str | None]:
    """The (id, short link) of the board an action happened on, from the action or the watched model."""
    data = action.get("data")
    board = data.get("board") if isinstance(data, dict) else None
    if not isinstance(board, dict):
        model = payload.get("model")
        board = model if isinstance(model, dict) and "shortLink" in model else {}
    ident, short = board.get("id"), board.get("shortLink")
    return (ident if isinstance(ident, str) else None, short if isinstance(short, str) else None)


class WebhookIntake:
    """Takes in verified Trello webhook bodies (thread-safe: called from the web thread pool)."""

    def __init__(
        self,
        boards: BoardLookup,
        log: ActionLog,
        coordinators: RunRequests,
        tracker: WebhookFacts,
        clock: Clock,
        own_writes: OwnWrites | None = None,
    ) -> None:
        self._boards = boards
        self._own = own_writes if own_writes is not None else OwnWrites()
        self._log = log
        self._coordinators = coordinators
        self._tracker = tracker
        self._clock = clock

    def accept(self, payload: Any) -> Outcome:
        """Dedupe, record and request runs for one verified body; raises when the change log failed."""
        action = _action_of(payload)
        if action is None:
            return "ignored"
        board_id, short_link = _board_of(payload, action)
        pairs = self._boards.pairs_for(board_id, short_link) if board_id or short_link else []
        if not pairs:
            return "unknown_board"
        action_id = action.get("id")
        if isinstance(action_id, str) and action_id and not self._log.mark_action_seen(action_id):
            return "duplicate"
        now = datetime.fromtimestamp(self._clock(), UTC)
        try:
            # A failure raises: the web layer answers 500 and Trello retries, through the dedupe.
            boards = {pair: self._boards.board_id(pair) for pair in pairs}
            record_action(self._log, action, boards, now, self._own)
        finally:
            self._hint(pairs)  # the sheet catches up whatever happened to the change log
        return "accepted"

    def _hint(self, pairs: list[str]) -> None:
        """Note the webhook and ask for a run of each pair (a hint: the run re-reads both sides)."""
        for pair in pairs:
            self._tracker.webhook(pair)
            self._coordinators.request(pair, "webhook")
