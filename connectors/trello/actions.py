"""The board's actions as part of the board read: nested params, older pages, and the split fallback.

Trello takes a board's actions as a nested resource of `GET /1/boards/{id}` (`actions`, `actions_since`,
`actions_limit` ≤ 1000, newest first; https://developer.atlassian.com/cloud/trello/guides/rest-api/nested-resources/).
More than the limit since the last run: older pages come from `GET /1/boards/{id}/actions` with `since`,
`before` (an action id) and `limit` ≤ 1000 (https://developer.atlassian.com/cloud/trello/rest/api-group-boards/).
`since` and `before` take a date or an action id, exclusive (Trello's paging guide:
https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/#paging); an action id is
exact where a date would miss or repeat actions of the same millisecond. Nested reads leave out some
action types (e.g. `updateCheckItem`, only in webhooks;
https://developer.atlassian.com/cloud/trello/guides/rest-api/action-types/).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.errors import BadResponse, ConnectorError

__all__ = ["ACTIONS_LIMIT", "TOO_LARGE", "action_params", "all_actions", "with_actions"]

# Trello's maximum for `actions_limit` and `limit`.
ACTIONS_LIMIT = 1000
# Trello's answer to a read too large to serve (seen on big boards: GSGBen/t2md#63, mattab/trello-backup#64).
TOO_LARGE = 449

Fetch = Callable[[str, dict[str, str]], Any]


def action_params(since: str | None, limit: int = ACTIONS_LIMIT) -> dict[str, str]:
    """The nested params asking for the board's actions after action id `since`; None: only the newest one."""
    params = {
        "actions": "all",
        "actions_limit": str(limit if since is not None else 1),
        "action_memberCreator_fields": "fullName,username",
    }
    if since is not None:
        params["actions_since"] = since
    return params


def _page(answer: Any, what: str) -> list[dict[str, Any]]:
    """A page of actions, checked to be a list of objects."""
    if not isinstance(answer, list) or not all(isinstance(item, dict) for item in answer):
        raise BadResponse(f"Trello answered {what} with something not a list of actions", service="trello")
    return answer


def all_actions(
    fetch: Fetch, board_id: str, since: str | None, first: Any, limit: int = ACTIONS_LIMIT
) -> list[dict[str, Any]]:
    """Every action after `since`, newest first: the read's `first` page, then older pages while full.

    `first` None (the read left actions out): they are all read through `GET /1/boards/{id}/actions`.
    """
    path = f"/boards/{board_id}/actions"
    params = {"filter": "all", "limit": str(limit if since is not None else 1)}
    params |= {"memberCreator_fields": "fullName,username"}
    if since is not None:
        params["since"] = since
    what = f"the actions of board {board_id}"
    page = _page(fetch(path, params) if first is None else first, what)
    found = list(page)
    while since is not None and len(page) >= limit:
        page = _page(fetch(path, {**params, "before": str(page[-1].get("id"))}), what)
        found += page
    return found


Read = Callable[[dict[str, str]], dict[str, Any]]


def with_actions(
    read: Read, fetch: Fetch, board_id: str, since: str | None, limit: int = ACTIONS_LIMIT
) -> dict[str, Any]:
    """The board `read(extra params)` answers, with every action after `since` under "actions".

    One request when the actions fit the limit; a read Trello refuses as too large (449) is split into the
    board alone and its actions.
    """
    try:
        board = read(action_params(since, limit))
    except ConnectorError as exc:
        if exc.status != TOO_LARGE:
            raise
        board = read({})
        board.pop("actions", None)
    board["actions"] = all_actions(fetch, board_id, since, board.get("actions"), limit)
    return board
