"""Interleavings that lost team actions from the change log in the PostgreSQL soak (issue 13), or logged
our own writes twice, replayed step by step: two replicas (or a replica and a CLI `sync`: separate
processes) sharing a store that notes every process's Trello writes; a person's change racing the
service's write of the same card field; a process dying while a run logs its actions.

Every team action reaches the change log once, whichever replica or path takes it in; the echo of our own
write reaches it zero times, whichever replica or path takes it in.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.core.plan import TrelloWrite
from app.runtime.action_log import log_board_actions
from app.runtime.intake import WebhookIntake
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


@pytest.fixture
def other(store_url: str, store: Store) -> Iterator[Store]:
    """Replica B: its own engine and connections over the store replica A (`store`) uses."""
    with Store(store_url) as opened:
        yield opened


def replica(store: Store, boards: Boards) -> WebhookIntake:
    """One replica's webhook intake over its store."""
    return WebhookIntake(boards, store, boards, RunTracker(), NOW.timestamp)


def write_list(store: Store, to: str) -> Trello:
    """The service's run writes CARD's list (a stakeholder typed it in a two-way cell)."""
    trello = Trello()
    write = TrelloWrite(CARD, {"idList": f"l-{to}"}, fields=("list",))
    apply_writes(trello, store, PAIR, [write], [])  # type: ignore[arg-type]
    return trello


def logged(store: Store) -> list[str]:
    return sorted(c.action_id for c in store.recent_changes(limit=100))


def test_the_echo_of_replica_bs_write_taken_in_by_replica_a_is_not_logged(store: Store, other: Store) -> None:
    boards = Boards()
    a, b = replica(store, boards), replica(other, boards)
    try:
        write_list(other, "Doing")  # replica B writes the card's list ...
        assert a.accept({"action": move("echo", SERVICE, "Doing")}) == "accepted"  # ... A gets the echo
        assert b.accept({"action": move("echo", SERVICE, "Doing")}) == "duplicate"
        assert b.accept({"action": move("dave", DAVE, "Done")}) == "accepted"  # then Dave moves it
    finally:
        a.close()
        b.close()
    assert logged(store) == ["dave"]  # the echo zero times, Dave's move once
    assert boards.runs == 2  # the echo still asks for a run


def test_a_persons_change_of_the_field_we_wrote_is_logged_by_the_other_replica(
    store: Store, other: Store
) -> None:
    boards = Boards()
    a = replica(store, boards)
    try:
        write_list(other, "Doing")
        # Dave's move arrives at A before our echo: his is never taken for it (not our member) ...
        assert a.accept({"action": move("dave", DAVE, "Done")}) == "accepted"
        assert a.accept({"action": move("echo", SERVICE, "Doing")}) == "accepted"  # ... and ours is
    finally:
        a.close()
    assert logged(store) == ["dave"]


@pytest.mark.http  # a subprocess
def test_the_echo_of_a_replicas_write_read_by_a_cli_sync_process_is_not_logged(
    store_url: str, store: Store
) -> None:
    # A separate process (the service's run) writes the card's list; this one (`boardsheet sync`) reads
    # the board and finds the echo among its actions.
    note = (
        "import sys; from app.store.store import Store\n"
        "with Store(sys.argv[1]) as store: store.note_own_writes(sys.argv[2], ['list'], sys.argv[3])"
    )
    subprocess.run([sys.executable, "-c", note, store_url, CARD, str(SERVICE["id"])], check=True, timeout=60)
    actions = [move("dave", DAVE, "Done"), move("echo", SERVICE, "Doing")]  # newest first
    log_board_actions(store, PAIR, {PAIR: BOARD}, actions, start=False, now=NOW)
    assert logged(store) == ["dave"]


def test_a_persons_move_racing_our_write_to_the_same_list_is_logged(store: Store) -> None:
    boards = Boards()
    intake = replica(store, boards)
    try:
        # Dave moves the card to Done between the run's read and its PUT of Done: the PUT changes
        # nothing, so Trello records no action and no echo ever comes.
        write_list(store, "Done")
        assert intake.accept({"action": move("dave", DAVE, "Done")}) == "accepted"
    finally:
        intake.close()
    assert logged(store) == ["dave"]


def test_the_echoes_of_our_writes_are_left_out_on_both_paths_by_either_replica(
    store: Store, other: Store
) -> None:
    boards = Boards()
    intake = replica(store, boards)
    try:
        write_list(store, "Doing")
        write_list(other, "Done")
        assert intake.accept({"action": move("echo-1", SERVICE, "Doing")}) == "accepted"
    finally:
        intake.close()
    echo = [move("echo-2", SERVICE, "Done")]
    log_board_actions(other, PAIR, {PAIR: BOARD}, echo, start=False, now=NOW)
    assert logged(store) == []
    assert boards.runs == 1  # an echo still asks for a run
    # Two writes, two echoes: a third change by our own member (a person using the token's account)
    # is logged.
    log_board_actions(store, PAIR, {PAIR: BOARD}, [move("third", SERVICE, "To do")], start=False, now=NOW)
    assert logged(store) == ["third"]


class Killed(BaseException):
    """The process dies (kill -9): nothing after this point runs, nothing uncommitted survives."""


def test_a_process_dying_while_a_run_logs_its_actions_leaves_them_to_the_next_run(store: Store) -> None:
    actions = [move("dave-2", DAVE, "Done"), move("dave-1", DAVE, "Doing")]  # newest first, as Trello lists

    def die_on_the_change_log(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CHANGES"):
            raise Killed

    sa.event.listen(store._engine, "before_cursor_execute", die_on_the_change_log)
    with pytest.raises(Killed):
        log_board_actions(store, PAIR, {PAIR: BOARD}, actions, start=False, now=NOW)
    sa.event.remove(store._engine, "before_cursor_execute", die_on_the_change_log)
    # The restarted process's run reads the same actions again (its mark did not move).
    assert store.action_mark(PAIR) is None
    log_board_actions(store, PAIR, {PAIR: BOARD}, actions, start=False, now=NOW)
    assert logged(store) == ["dave-1", "dave-2"]
