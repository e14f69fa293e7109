"""TrelloConnector: the Trello API calls boardsheet makes, over py-trello (its reads; writes: writes.py)."""

from __future__ import annotations

from typing import Any

from connectors.errors import BadResponse, TooManyCards
from connectors.metering import Observer
from connectors.trello.actions import ACTIONS_LIMIT, with_actions
from connectors.trello.calls import SERVICE
from connectors.trello.snapshot import CARD_CAP, whole_board
from connectors.trello.writes import TrelloWrites

ACTIONS_PAGE = 1000  # the most Trello answers per actions request
SNAPSHOT_PARAMS = {
    "cards": "all",
    "lists": "all",
    "labels": "all",
    # 50 by default; a board holds at most 950 labels, so 1,000 reads them all (docs/emulators.md).
    "labels_limit": "1000",
    "members": "all",
    "customFields": "true",
    "card_customFieldItems": "true",
    "checklists": "all",
    "fields": "name,url,shortLink,closed",
}
# One page of older cards: the nested read's card fields, with their custom-field items.
PAGE_PARAMS = {"limit": str(CARD_CAP), "customFieldItems": "true"}


class TrelloConnector(TrelloWrites):
    """The Trello calls boardsheet needs; every failure raises the connectors.errors tree, secret-free."""

    def __init__(
        self,
        api_key: str,
        token: str,
        *,
        api_url: str | None = None,
        retry_seconds: float = 60.0,
        requests_per_10s: int = 100,
        observer: Observer | None = None,
        actions_limit: int = ACTIONS_LIMIT,
    ) -> None:
        """`observer` is told the HTTP status of every response, retries included (0: no response);
        `actions_limit` is the page size of board actions (Trello's maximum, 1000; smaller in tests)."""
        self.actions_limit = actions_limit
        super().__init__(
            api_key,
            token,
            api_url=api_url,
            retry_seconds=retry_seconds,
            requests_per_10s=requests_per_10s,
            observer=observer,
        )
        self._member_id: str | None = None

    def __repr__(self) -> str:
        return f"TrelloConnector(api_url={self._session.api_url!r})"

    def __enter__(self) -> TrelloConnector:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def board_snapshot(self, board_id: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
        """The whole board with its cards, lists, labels, members, custom fields and checklists (and what
        `extra` nested params add to the first read, e.g. its actions).

        1 request below 1,000 cards, then a page per 1,000 older cards (⌈N/1000⌉ + 1 at most). Should
        Trello refuse the nested read's size (403 API_TOO_MANY_CARDS_REQUESTED), the board is read without
        cards and every card paged (2 more requests). Raises Incomplete when the answers cannot be proven
        to hold every card (connectors.trello.snapshot).
        """
        what, path = self.names.of("board", board_id), f"/boards/{board_id}"

        def page(before: str | None) -> list[Any]:
            args = PAGE_PARAMS | ({"before": before} if before else {})
            answer = self._json(f"cards of {what}", f"{path}/cards/all", query_params=args)
            return answer if isinstance(answer, list) else [answer]

        first = SNAPSHOT_PARAMS | (extra or {})
        try:
            board = self._object(what, path, query_params=first)
        except TooManyCards:
            board = self._object(what, path, query_params=first | {"cards": "none"})
            whole = whole_board(board, page, paged_from_the_top=True)
        else:
            whole = whole_board(board, page)
        self.names.learn_board(whole)
        return whole

    def board_with_actions(self, board_id: str, since: str | None) -> dict[str, Any]:
        """board_snapshot plus "actions": every action after action id `since` (None: the newest only),
        newest first. 1 request while they fit one page (see connectors/trello/actions.py)."""

        def read(extra: dict[str, str]) -> dict[str, Any]:
            return self.board_snapshot(board_id, extra)  # paged beyond 1,000 cards, like every read

        def fetch(path: str, params: dict[str, str]) -> Any:
            return self._json(f"the actions of {self.names.of('board', board_id)}", path, query_params=params)

        return with_actions(read, fetch, board_id, since, self.actions_limit)

    def me(self) -> dict[str, Any]:
        """The member the token belongs to."""
        return self._object("the token's member", "/members/me")

    def member_id(self) -> str:
        """The id of the member the token belongs to: asked once per connector (it never changes)."""
        if self._member_id is None:
            found = self.me().get("id")
            if not isinstance(found, str) or not found:
                raise BadResponse("Trello answered the token's member without an id", service="trello")
            self._member_id = found  # two threads asking at once both ask Trello: harmless
        return self._member_id

    def board_actions(self, board_id: str, types: str, since: str) -> list[dict[str, Any]]:
        """The board's actions of `types` (Trello's filter, e.g. "updateCard:closed,deleteCard") newer
        than `since` (ISO date), newest first, paged 1000 at a time with `before`
        (https://developer.atlassian.com/cloud/trello/rest/api-group-boards/#api-boards-boardid-actions-get).
        """
        found: list[dict[str, Any]] = []
        before: str | None = None
        while True:
            query = {"filter": types, "since": since, "limit": ACTIONS_PAGE}
            if before is not None:
                query["before"] = before
            what = f"the actions of {self.names.of('board', board_id)}"
            page = self._json(what, f"/boards/{board_id}/actions", query_params=query)
            if not isinstance(page, list) or not all(isinstance(item, dict) for item in page):
                raise BadResponse(
                    "Trello answered a board's actions with something not a list", service=SERVICE
                )
            found += page
            if len(page) < ACTIONS_PAGE:
                return found
            before = str(page[-1]["id"])

    def list_webhooks(self) -> list[dict[str, Any]]:
        """Every webhook of this token."""
        answer = self._json("the token's webhooks", f"/tokens/{self._token}/webhooks")
        if not isinstance(answer, list) or not all(isinstance(item, dict) for item in answer):
            raise BadResponse(
                "Trello answered the token's webhooks with something not a list", service=SERVICE
            )
        return answer
