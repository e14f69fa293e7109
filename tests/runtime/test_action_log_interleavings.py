"""Interleavings that lost team actions from the change log in the PostgreSQL soak (issue 13), replayed
step by step: two replicas sharing a store, each with its own memory of its Trello writes; a person's
change racing the service's write of the same card field; a process dying while a run logs its actions.

Every team action must reach the change log, whichever replica or path takes it in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.core.plan import TrelloWrite
from app.runtime.action_log import log_board_actions
from app.runtime.intake import WebhookIntake
from app.runtime.own_writes import OwnWrites
from app.runtime.tracker import RunTracker
from app.runtime.trello_writes import apply_writes
from app.store.store import Store

BOARD, PAIR, CARD = "b0ard", "social", "c4rd"
SERVICE = {"id": "m-ops", "fullName": "Boardsheet"}  # the member the service's token belongs to
DAVE = {"id": "m-dave", "fullName": "Dave"}
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class Boards:
    """The one pair syncing the one board; runs requested are counted."""

    runs = 0

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]:
        return [PAIR] if board_id == BOARD else []

    def board_id(self, pair: str) -> str:
        return BOARD

    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        self.runs += 1
        return True


class Trello:
    """The connector as apply_writes uses it: PUTs answered; the token's member known."""

    def __init__(self) -> None:
        self.puts: list[tuple[str, dict[str, Any]]] = []

    def member_id(self) -> str:
        return str(SERVICE["id"])

    def update_card(self, card_id: str, **put: Any) -> dict[str, Any]:
        self.puts.append((card_id, put))
        return {"id": card_id}


def move(action_id: str, by: dict[str, str], to: str) -> dict[str, Any]:
    """An updateCard action moving CARD to list `to`, made by member `by`."""
    return {
        "id": action_id,
        "type": "updateCard",
        "date": "2026-12-01T09:59:00.000Z",
        "idMemberCreator": by["id"],
        "memberCreator": by,
        "data": {
            "board": {"id": BOARD, "shortLink": "sh0rt"},
            "card": {"id": CARD, "name": "Launch post", "idList": f"l-{to}"},
            "listBefore": {"id": "l-todo", "name": "To do"},
            "listAfter": {"id": f"l-{to}", "name": to},
            "old": {"idList": "l-todo"},
        },
    }


def replica(store: Store, boards: Boards, own: OwnWrites) -> WebhookIntake:
    """One replica's webhook intake over the shared store."""
    return WebhookIntake(boards, store, boards, RunTracker(), NOW.timestamp, own)


def write_list(own: OwnWrites, store: Store, to: str) -> Trello:
    """The service's run writes CARD's list (a stakeholder typed it in a two-way cell)."""
    trello = Trello()
    write = TrelloWrite(CARD, {"idList": f"l-{to}"}, fields=("list",))
    apply_writes(trello, store, PAIR, [write], [], own)  # type: ignore[arg-type]
    return trello


def logged(store: Store) -> set[str]:
    return {c.action_id for c in store.recent_changes(limit=100)}


def test_a_persons_change_is_logged_though_another_replica_took_our_writes_echo(store: Store) -> None:
    boards, own_a, own_b = Boards(), OwnWrites(), OwnWrites()
    a, b = replica(store, boards, own_a), replica(store, boards, own_b)
    try:
        write_list(own_b, store, "Doing")  # replica B writes the card's list ...
        assert a.accept({"action": move("echo", SERVICE, "Doing")}) == "accepted"  # ... A gets the echo first
        assert b.accept({"action": move("echo", SERVICE, "Doing")}) == "duplicate"
        assert b.accept({"action": move("dave", DAVE, "Done")}) == "accepted"  # then Dave moves it
    finally:
        a.close()
        b.close()
    assert "dave" in logged(store)


def test_a_persons_move_racing_our_write_to_the_same_list_is_logged(store: Store) -> None:
    boards, own = Boards(), OwnWrites()
    intake = replica(store, boards, own)
    try:
        # Dave moves the card to Done between the run's read and its PUT of Done: the PUT changes
        # nothing, so Trello records no action and no echo ever comes.
        write_list(own, store, "Done")
        assert intake.accept({"action": move("dave", DAVE, "Done")}) == "accepted"
    finally:
        intake.close()
    assert "dave" in logged(store)


def test_the_echo_of_our_write_is_still_left_out_on_both_paths(store: Store) -> None:
    boards, own = Boards(), OwnWrites()
    intake = replica(store, boards, own)
    try:
        write_list(own, store, "Doing")
        write_list(own, store, "Done")
        assert intake.accept({"action": move("echo-1", SERVICE, "Doing")}) == "accepted"
    finally:
        intake.close()
    echo = [move("echo-2", SERVICE, "Done")]
    log_board_actions(store, PAIR, {PAIR: BOARD}, echo, start=False, now=NOW, own=own)
    assert logged(store) == set()
    assert boards.runs == 1  # an echo still asks for a run


class Killed(BaseException):
    """The process dies (kill -9): nothing after this point runs, nothing uncommitted survives."""


def test_a_process_dying_while_a_run_logs_its_actions_leaves_them_to_the_next_run(store: Store) -> None:
    actions = [move("dave-2", DAVE, "Done"), move("dave-1", DAVE, "Doing")]  # newest first, as Trello lists

    def die_on_the_change_log(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CHANGES"):
            raise Killed

    sa.event.listen(store._engine, "before_cursor_execute", die_on_the_change_log)
    with pytest.raises(Killed):
        log_board_actions(store, PAIR, {PAIR: BOARD}, actions, start=False, now=NOW, own=OwnWrites())
    sa.event.remove(store._engine, "before_cursor_execute", die_on_the_change_log)
    # The restarted process's run reads the same actions again (its mark did not move).
    assert store.action_mark(PAIR) is None
    log_board_actions(store, PAIR, {PAIR: BOARD}, actions, start=False, now=NOW, own=OwnWrites())
    assert logged(store) == {"dave-1", "dave-2"}
