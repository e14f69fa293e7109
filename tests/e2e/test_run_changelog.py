"""Every change reaches the change log through runs too: the board read brings the new actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from app.runtime.intake import WebhookIntake
from connectors.trello.client import TrelloConnector
from tests.support.trello_emulator import KEY, OPS
from tests.support.world import ALICE, World, world

CHANGES = "    changes_tab: Changes\n"


class _Boards:
    """The one pair of the world, on its board."""

    def __init__(self, board_id: str) -> None:
        self._board_id = board_id

    def pairs_for(self, board_id: str | None, short_link: str | None) -> list[str]:
        return ["calendar"] if board_id == self._board_id else []

    def board_id(self, pair: str) -> str:
        return self._board_id


class _Runs:
    def request(self, name: str, reason: str, *, force: bool = False) -> bool:
        return True


class _Tracker:
    def webhook(self, pair: str) -> None:
        pass


def _intake(w: World) -> WebhookIntake:
    """The webhook intake over the world's store."""
    return WebhookIntake(_Boards(w.board_id), w.store, _Runs(), _Tracker(), lambda: 0.0)


def _move(w: World, card: str, to_list: str) -> None:
    """Alice moves a card through the Trello API (no webhook is registered: none is delivered)."""
    with w.trello_client(ALICE) as alice:
        moved = alice.put(f"/1/cards/{w.ids[card]}", params={"idList": w.ids[to_list]})
        assert moved.status_code == 200, moved.text


def _newest_action(w: World) -> dict[str, Any]:
    with w.trello_client() as ops:
        answer = ops.get(f"/1/boards/{w.board_id}/actions", params={"limit": 1})
    action: dict[str, Any] = answer.json()[0]
    return action


def test_a_change_without_a_webhook_is_logged_by_the_next_sync_in_the_sheet_language(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(extra=CHANGES)
        w.sync()  # the first run starts the log from the board's newest action
        assert w.store.recent_changes("calendar") == []
        _move(w, "Post 00001", "Published")
        w.clear_logs()
        result = w.sync()
        assert result.outcome == "ok"
        assert w.calls()["trello"] == 1  # the actions came with the board read
        (logged,) = w.store.recent_changes("calendar")
        assert (logged.member, logged.card_name, logged.field, logged.before, logged.after) == (
            "Alice Martin",
            "Post 00001",
            "list",
            "Drafting",
            "Published",
        )
        # Written to the Changes tab by the same run, with the column header people know.
        assert w.values("Changes")[1][1:] == ["Alice Martin", "Post 00001", "Status", "Drafting", "Published"]
        # The same action delivered later by a webhook is not logged twice, nor read again by a run.
        assert _intake(w).accept({"action": _newest_action(w)}) == "duplicate"
        w.sync()
        assert len(w.store.recent_changes("calendar")) == 1


def test_an_action_delivered_by_webhook_first_is_not_logged_again_by_the_run(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.sync()
        _move(w, "Post 00002", "Ideas")
        assert _intake(w).accept({"action": _newest_action(w)}) == "accepted"
        w.sync()
        (logged,) = w.store.recent_changes("calendar")
        assert (logged.member, logged.after) == ("Alice Martin", "Ideas")


def test_more_actions_than_the_limit_are_paged_with_before(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.trello = TrelloConnector(KEY, OPS, api_url=w.trello_url, retry_seconds=5, actions_limit=2)
        w.sync()
        for index, target in enumerate(("Review", "Review", "Ideas", "Published", "Drafting")):
            _move(w, f"Post {index:05d}", target)
        w.clear_logs()
        w.sync()
        logged = w.store.recent_changes("calendar")
        assert sorted(c.card_name for c in logged) == [f"Post {i:05d}" for i in range(5)]
        # The board read brought 2, then two older pages of 2 and 1 (5 actions, a page of 2).
        paths = [e["path"] for e in w.trello_app.state.request_log.snapshot()]
        assert paths == [f"/1/boards/{w.board_id}"] + [f"/1/boards/{w.board_id}/actions"] * 2


def test_the_emulator_answers_nested_actions_with_their_own_params(tmp_path: Path) -> None:
    with world(tmp_path) as w, w.trello_client() as ops:
        _move(w, "Post 00001", "Ideas")
        _move(w, "Post 00002", "Ideas")
        params: dict[str, Any] = {"actions": "all", "actions_limit": 2, "limit": 1, "before": "0" * 24}
        board = ops.get(f"/1/boards/{w.board_id}", params=params).json()
        assert [a["data"]["card"]["name"] for a in board["actions"]] == ["Post 00002", "Post 00001"]
        since = board["actions"][1]["date"]
        newer = ops.get(f"/1/boards/{w.board_id}", params={"actions": "all", "actions_since": since}).json()
        assert [a["data"]["card"]["name"] for a in newer["actions"]] == ["Post 00002"]
        refused = ops.get(f"/1/boards/{w.board_id}", params={"actions": "all", "actions_limit": 1001})
        assert refused.status_code == 400 and "actions_limit" in refused.text


def test_nested_actions_default_to_fifty(tmp_path: Path) -> None:
    with world(tmp_path, cards=60) as w:
        board = httpx.get(
            f"{w.trello_url}/1/boards/{w.board_id}", params={"key": KEY, "token": OPS, "actions": "all"}
        ).json()
        assert len(board["actions"]) == 50
