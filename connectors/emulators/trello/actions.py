"""Action records: every write leaves a Trello action of the real type and shape."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from connectors.emulators.trello.render import action_ref, member_json
from connectors.emulators.trello.state import TrelloError, TrelloState, iso

ActionListener = Callable[[dict[str, Any]], None]


def card_ref(card: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A card as action data shows it: id, name, idShort, shortLink and the changed keys."""
    return action_ref(card, "idShort", "shortLink", *keys)


def board_ref(board: dict[str, Any]) -> dict[str, Any]:
    """A board as action data shows it."""
    return action_ref(board, "shortLink")


def list_ref(lst: dict[str, Any]) -> dict[str, Any]:
    """A list as action data shows it."""
    return action_ref(lst)


class ActionLog:
    """Records actions into the state and tells listeners (the webhook dispatcher) about each."""

    def __init__(self, state: TrelloState) -> None:
        self.state = state
        self.listeners: list[ActionListener] = []

    def record(
        self, kind: str, creator: dict[str, Any], board: dict[str, Any], data: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        """Store one action (newest first, as Trello lists them) and notify listeners."""
        now = time.time()
        action: dict[str, Any] = {
            "id": self.state.new_id(),
            "idMemberCreator": creator["id"],
            "data": {**data, "board": board_ref(board) | data.get("board", {})},
            "appCreator": None,
            "type": kind,
            "date": iso(now),
            "limits": {},
            **extra,
            "memberCreator": member_json(creator),
        }
        with self.state.lock:
            self.state.actions.insert(0, action)
            board["dateLastActivity"] = action["date"]
        for listener in self.listeners:
            listener(action)
        return action

    def card_update(
        self, member: dict[str, Any], board: dict[str, Any], card: dict[str, Any], old: dict[str, Any]
    ) -> dict[str, Any]:
        """An updateCard action: data.old holds the previous values, data.card the new ones."""
        changed = tuple(old)
        data: dict[str, Any] = {"card": card_ref(card, *changed), "old": old}
        lists = self.state.lists
        if "idList" in old:
            data["listBefore"] = list_ref(lists[old["idList"]])
            data["listAfter"] = list_ref(lists[card["idList"]])
        else:
            data["list"] = list_ref(lists[card["idList"]])
        return self.record("updateCard", member, board, data)


def query_actions(
    state: TrelloState, params: dict[str, Any], limit_name: str = "limit", **match: str
) -> list[dict[str, Any]]:
    """Actions filtered as Trello does: by model ids, `filter` types, `since`/`before`, `limit` ≤ 1000.

    Newest first; `since` and `before` are exclusive, each a date or an action id.
    """
    wanted = str(params.get("filter") or "all")
    types = None if wanted in ("all", "true") else set(wanted.split(","))  # "updateCard:idList" = old field
    text = str(params.get("limit") or 50)
    if not text.isdigit() or not 0 <= int(text) <= 1000:
        raise TrelloError(400, f"invalid value for {limit_name}")
    limit = int(text)
    since = params.get("since")
    before = params.get("before")
    found = []
    for action in list(state.actions):
        data = action["data"]
        if any(data.get(model, {}).get("id") != value for model, value in match.items()):
            continue
        if types is not None and not _wanted(action, types):
            continue
        if since and not _after(action, str(since)):
            continue
        if before and _after(action, str(before), inclusive=True):
            continue
        found.append(action)
    return found[:limit]


def _wanted(action: dict[str, Any], types: set[str]) -> bool:
    """Whether an action's type (or type:changed field, as in updateCard:idList) is asked for."""
    if action["type"] in types:
        return True
    return any(f"{action['type']}:{key}" in types for key in action["data"].get("old", {}))


def _after(action: dict[str, Any], bound: str, inclusive: bool = False) -> bool:
    """Whether an action is newer than a date or an action id bound."""
    if len(bound) == 24 and all(ch in "0123456789abcdef" for ch in bound):
        key, ref = action["id"], bound
    else:
        key, ref = action["date"], bound
    return bool(key >= ref if inclusive else key > ref)
