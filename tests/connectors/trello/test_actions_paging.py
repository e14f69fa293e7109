"""The board's actions in the board read: params, older pages with `before`, and the 449 split."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.errors import BadResponse, ConnectorError
from connectors.trello.actions import action_params, with_actions


def _actions(*ids: str) -> list[dict[str, Any]]:
    return [{"id": ident, "date": "2026-12-01T08:00:00.000Z", "data": {}} for ident in ids]


class _Trello:
    """Answers the board read and the /actions pages from a newest-first list of actions."""

    def __init__(self, actions: list[dict[str, Any]], refuse_combined: int | None = None) -> None:
        self.actions = actions
        self.refuse_combined = refuse_combined
        self.calls: list[dict[str, str]] = []

    def read(self, extra: dict[str, str]) -> dict[str, Any]:
        self.calls.append(extra)
        if extra and self.refuse_combined:
            raise ConnectorError("refused", service="trello", status=self.refuse_combined)
        board: dict[str, Any] = {"id": "b1"}
        if extra:
            board["actions"] = self._after(extra.get("actions_since"), None, int(extra["actions_limit"]))
        return board

    def fetch(self, path: str, params: dict[str, str]) -> Any:
        assert path == "/boards/b1/actions"
        self.calls.append(params)
        return self._after(params.get("since"), params.get("before"), int(params["limit"]))

    def _after(self, since: str | None, before: str | None, limit: int) -> list[dict[str, Any]]:
        ids = [a["id"] for a in self.actions]
        start = ids.index(before) + 1 if before else 0
        end = ids.index(since) if since else len(ids)
        return self.actions[start:end][:limit]


def test_one_request_when_the_new_actions_fit_the_limit() -> None:
    trello = _Trello(_actions("a5", "a4", "a3"))
    board = with_actions(trello.read, trello.fetch, "b1", "a3", limit=3)
    assert [a["id"] for a in board["actions"]] == ["a5", "a4"]
    assert trello.calls == [action_params("a3", 3)]


def test_older_pages_are_read_with_before_until_one_is_not_full() -> None:
    trello = _Trello(_actions("a7", "a6", "a5", "a4", "a3", "a2", "a1"))
    board = with_actions(trello.read, trello.fetch, "b1", "a1", limit=2)
    assert [a["id"] for a in board["actions"]] == ["a7", "a6", "a5", "a4", "a3", "a2"]
    assert [call.get("before") for call in trello.calls[1:]] == ["a6", "a4", "a2"]


def test_a_first_read_asks_only_for_the_newest_action_and_pages_nothing() -> None:
    trello = _Trello(_actions("a3", "a2", "a1"))
    board = with_actions(trello.read, trello.fetch, "b1", None, limit=1)
    assert [a["id"] for a in board["actions"]] == ["a3"] and len(trello.calls) == 1
    assert "actions_since" not in trello.calls[0] and trello.calls[0]["actions_limit"] == "1"


def test_a_read_refused_as_too_large_is_split_into_the_board_and_its_actions() -> None:
    trello = _Trello(_actions("a3", "a2", "a1"), refuse_combined=449)
    board = with_actions(trello.read, trello.fetch, "b1", "a1", limit=5)
    assert board["id"] == "b1" and [a["id"] for a in board["actions"]] == ["a3", "a2"]
    assert trello.calls[1] == {} and trello.calls[2]["since"] == "a1"


def test_other_refusals_and_odd_answers_are_not_hidden() -> None:
    trello = _Trello(_actions("a1"), refuse_combined=400)
    with pytest.raises(ConnectorError):
        with_actions(trello.read, trello.fetch, "b1", "a0", limit=5)

    def odd(_path: str, _params: dict[str, str]) -> Any:
        return {"not": "a list"}

    with pytest.raises(BadResponse):
        with_actions(lambda _extra: {"id": "b1", "actions": "x"}, odd, "b1", "a0")
