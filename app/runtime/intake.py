"""A verified Trello webhook body, taken in: dedupe by action id, log its changes, request runs.

A webhook is a hint, not data: nothing here calls Trello or Google, and every run re-reads both sides.
The web layer checks size and signature and parses the JSON; this is what happens next. Deliveries are
committed in groups (group_commit.py): whatever arrived while the last transaction ran is marked seen and
logged in the next one, so the change log and the dedupe cost one transaction per batch, not per webhook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from app.core.records import ChangeRecord
from app.runtime.action_log import action_changes
from app.runtime.group_commit import GroupCommit
from app.runtime.own_writes import Echoes

__all__ = ["Outcome", "SeenActions", "WebhookIntake"]

Outcome = Literal["accepted", "duplicate", "ignored", "unknown_board"]
Clock = Callable[[], float]


class BoardLookup(Protocol):
    """Which pairs sync a board (BoardDirectory fits)."""

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]: ...

    def board_id(self, pair: str) -> str: ...


class SeenActions(Protocol):
    """Marks actions seen and logs their changes in one transaction (Store fits)."""

    def take_actions(
        self, action_ids: Sequence[str], changes_for: Callable[[set[str], Echoes], Sequence[ChangeRecord]]
    ) -> set[str]:
        """The ids new to every replica; calls `changes_for` once, inside the transaction, with the
        transaction's claims of our own writes' echoes."""
        ...


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


@dataclass(frozen=True)
class _Delivery:
    """A verified delivery of a known board: its action, the pairs it concerns, its action id if any."""

    action: dict[str, Any]
    pairs: list[str]
    action_id: str | None


def _done(outcome: Outcome) -> Future[Outcome]:
    """A future already holding `outcome`."""
    future: Future[Outcome] = Future()
    future.set_result(outcome)
    return future


class WebhookIntake:
    """Takes in verified Trello webhook bodies (thread-safe: submit from any thread or the event loop)."""

    def __init__(
        self,
        boards: BoardLookup,
        log: SeenActions,
        coordinators: RunRequests,
        tracker: WebhookFacts,
        clock: Clock,
    ) -> None:
        self._boards = boards
        self._log = log
        self._coordinators = coordinators
        self._tracker = tracker
        self._clock = clock
        self._commits: GroupCommit[_Delivery, Outcome] = GroupCommit(self._commit, "webhook-intake")

    def submit(self, payload: Any) -> Future[Outcome]:
        """Queue one verified body: its outcome, or the exception when the change log failed (retry)."""
        action = _action_of(payload)
        if action is None:
            return _done("ignored")
        board_id, short_link = _board_of(payload, action)
        pairs = self._boards.pairs_for(board_id, short_link) if board_id or short_link else []
        if not pairs:
            return _done("unknown_board")
        action_id = action.get("id")
        valid = action_id if isinstance(action_id, str) and action_id else None
        return self._commits.submit(_Delivery(action, pairs, valid))

    def accept(self, payload: Any) -> Outcome:
        """Dedupe, record and request runs for one verified body; raises when the change log failed."""
        return self.submit(payload).result()

    def close(self) -> None:
        """Commit what is queued and stop the writer thread."""
        self._commits.close()

    def _commit(self, batch: Sequence[_Delivery]) -> list[Outcome | BaseException]:
        """One transaction for the batch; when it fails, one per delivery, so one bad delivery cannot
        fail the others (each failure is its delivery's answer: 500, and Trello retries)."""
        try:
            return self._take(batch)
        except Exception as exc:
            if len(batch) == 1:
                return [exc]
        results: list[Outcome | BaseException] = []
        for delivery in batch:
            try:
                results += self._take([delivery])
            except Exception as exc:
                results.append(exc)
        return results

    def _take(self, batch: Sequence[_Delivery]) -> list[Outcome | BaseException]:
        """Mark the batch's actions seen and log the new ones' changes together; request runs."""
        first: dict[str, int] = {}  # each action id's first delivery in the batch, in arrival order
        for i, d in enumerate(batch):
            if d.action_id is not None:
                first.setdefault(d.action_id, i)
        now = datetime.fromtimestamp(self._clock(), UTC)
        fresh: list[bool] = []

        def changes_for(new: set[str], echoes: Echoes) -> list[ChangeRecord]:
            """The rows of the deliveries no replica had seen (echoes of our own writes left out)."""
            fresh[:] = [d.action_id is None or (d.action_id in new and first[d.action_id] == i)
                        for i, d in enumerate(batch)]  # fmt: skip
            return [change for d, new_one in zip(batch, fresh, strict=True) if new_one
                    for change in self._changes(d, now, echoes)]  # fmt: skip

        try:
            self._log.take_actions(list(first), changes_for)
        finally:
            # Once the dedupe is known the sheet catches up whatever happened to the change log; a
            # duplicate asks for nothing, and neither does a batch the store could not even mark.
            hinted = [d for d, new_one in zip(batch, fresh, strict=True) if new_one] if fresh else []
            self._hint(dict.fromkeys(pair for d in hinted for pair in d.pairs))
        return ["accepted" if new_one else "duplicate" for new_one in fresh]

    def _changes(self, delivery: _Delivery, now: datetime, echoes: Echoes) -> list[ChangeRecord]:
        """The change-log rows of one delivery for each of its pairs, echoes of own writes left out."""
        boards = {pair: self._boards.board_id(pair) for pair in delivery.pairs}
        return action_changes(delivery.action, boards, now, echoes)

    def _hint(self, pairs: Iterable[str]) -> None:
        """Note the webhook and ask for a run of each pair (a hint: the run re-reads both sides)."""
        for pair in pairs:
            self._tracker.webhook(pair)
            self._coordinators.request(pair, "webhook")
