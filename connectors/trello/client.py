"""TrelloConnector: the Trello API calls boardsheet makes, over py-trello's TrelloClient."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import requests
from trello import TrelloClient
from trello.exceptions import ResourceUnavailable

from connectors.errors import BadResponse, TooManyCards, unreachable
from connectors.metering import Observer
from connectors.trello.actions import ACTIONS_LIMIT, with_actions
from connectors.trello.names import Names
from connectors.trello.session import (
    TrelloAuth,
    TrelloSession,
    mask_urllib3_request_lines,
    trello_limiter,
)
from connectors.trello.snapshot import CARD_CAP, whole_board
from connectors.trello.translate import body_of, chain, raise_for_status

T = TypeVar("T")

SERVICE = "trello"
ACTIONS_PAGE = 1000  # the most Trello answers per actions request
MASK = "***"
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


class TrelloConnector:
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
        limiter = trello_limiter(token, api_url, requests_per_10s)
        self._session = TrelloSession(
            limiter, api_url=api_url, retry_seconds=retry_seconds, observer=observer
        )
        self._client = TrelloClient(api_key, token=token, http_service=self._session)
        # Trello's plain OAuth header: no secret in query strings, and no oauthlib DEBUG logs echoing them.
        self._client.oauth = TrelloAuth(api_key, token)
        mask_urllib3_request_lines()
        self._token = token
        self._member_id: str | None = None
        self._secrets = tuple(s for s in (api_key, token) if s)
        self.names = Names()  # what the board reads named: messages say "list 'Ideas'", not its id
        # Kept-alive connections are closed when the connector goes away, even if nobody calls close().
        self._closer = weakref.finalize(self, self._session.close)

    def __repr__(self) -> str:
        return f"TrelloConnector(api_url={self._session.api_url!r})"

    def close(self) -> None:
        """Close the kept-alive connections (the connector reconnects if used again)."""
        self._session.close()

    def __enter__(self) -> TrelloConnector:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def requests_made(self) -> int:
        """HTTP requests sent, retries included."""
        return self._session.requests_made

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

    def create_board(self, name: str) -> dict[str, Any]:
        """A new empty board (no default lists)."""
        return self._object("a new board", "/boards", "POST", {"name": name, "defaultLists": False})

    def create_list(self, board_id: str, name: str, pos: str | float = "bottom") -> dict[str, Any]:
        """A new list on a board."""
        args = {"name": name, "idBoard": board_id, "pos": pos}
        return self._learnt(board_id, f"a new list on {self.names.of('board', board_id)}", "/lists", args)

    def create_label(self, board_id: str, name: str, color: str | None) -> dict[str, Any]:
        """A new label on a board (color None: no color)."""
        args = {"name": name, "color": color, "idBoard": board_id}
        return self._learnt(board_id, f"a new label on {self.names.of('board', board_id)}", "/labels", args)

    def create_custom_field(
        self, board_id: str, name: str, type_: str, options: Sequence[str] = ()
    ) -> dict[str, Any]:
        """A new custom field on a board; `options` are the choices of a "list" field."""
        args: dict[str, Any] = {
            "idModel": board_id,
            "modelType": "board",
            "name": name,
            "type": type_,
            "pos": "bottom",
            "display_cardFront": True,
        }
        if options:
            args["options"] = [{"value": {"text": option}} for option in options]
        what = f"a new custom field on {self.names.of('board', board_id)}"
        return self._learnt(board_id, what, "/customFields", args)

    def create_card(self, list_id: str, name: str, **fields: Any) -> dict[str, Any]:
        """A new card in a list; `fields` are any other card fields Trello accepts (desc, due, pos, ...)."""
        args = {"idList": list_id, "name": name, **fields}
        return self._learnt(None, f"a new card in {self.names.of('list', list_id)}", "/cards", args)

    def update_card(self, card_id: str, **fields: Any) -> dict[str, Any]:
        """Change a card's fields in one PUT /1/cards/{id}."""
        return self._object(self.names.of("card", card_id), f"/cards/{card_id}", "PUT", fields)

    def set_custom_field(
        self, card_id: str, field_id: str, value: dict[str, Any] | None, id_value: str | None = None
    ) -> None:
        """Set a custom field item to `value` ({"text": "x"}) or a list option `id_value`; neither: clear."""
        args: dict[str, Any]
        if id_value is not None:
            args = {"idValue": id_value}
        elif value is not None:
            args = {"value": value}
        else:
            args = {"value": "", "idValue": ""}
        path = f"/cards/{card_id}/customField/{field_id}/item"
        what = f"{self.names.of('custom field', field_id)} of {self.names.of('card', card_id)}"
        self._json(what, path, "PUT", args)

    def add_label(self, card_id: str, label_id: str) -> None:
        """Put a label on a card."""
        self._json(
            f"{self.names.of('label', label_id)} on {self.names.of('card', card_id)}",
            f"/cards/{card_id}/idLabels",
            "POST",
            {"value": label_id},
        )

    def delete_card(self, card_id: str) -> None:
        """Delete a card for good."""
        self._json(self.names.of("card", card_id), f"/cards/{card_id}", "DELETE")

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

    def create_webhook(self, model_id: str, callback_url: str, description: str = "") -> dict[str, Any]:
        """A webhook calling `callback_url` on every action on `model_id` (Trello HEADs the URL first)."""
        args = {"idModel": model_id, "callbackURL": callback_url, "description": description}
        return self._object(f"a webhook on {model_id}", f"/tokens/{self._token}/webhooks", "POST", args)

    def delete_webhook(self, webhook_id: str) -> None:
        """Remove a webhook."""
        self._json(f"webhook {webhook_id}", f"/webhooks/{webhook_id}", "DELETE")

    def _learnt(self, board_id: str | None, what: str, path: str, args: dict[str, Any]) -> dict[str, Any]:
        """POST a new object and learn its name (its board's names, or its list's board's)."""
        made = self._object(what, path, "POST", args)
        self.names.learn(board_id, {**made, "idList": made.get("idList", args.get("idList"))})
        return made

    def _object(self, what: str, path: str, *args: Any, **kw: Any) -> dict[str, Any]:
        """A fetch_json call that must answer a JSON object."""
        answer = self._json(what, path, *args, **kw)
        if not isinstance(answer, dict):
            raise BadResponse(f"Trello answered {what} with something not an object", service=SERVICE)
        return answer

    def _json(
        self, what: str, path: str, method: str = "GET", post_args: dict[str, Any] | None = None, **kw: Any
    ) -> Any:
        """One fetch_json call, its failures translated."""

        def call() -> Any:
            return self._client.fetch_json(path, http_method=method, post_args=post_args, **kw)

        return self._translated(what, call)

    def _translated(self, what: str, call: Callable[[], T]) -> T:
        """Run `call`, turning py-trello's and requests' failures into the connectors.errors tree."""
        try:
            return call()
        except ResourceUnavailable as exc:
            self._scrub_chain(exc)
            raise_for_status(what, getattr(exc, "_status", None), self._scrub(body_of(exc)), exc)
        except (requests.ConnectionError, requests.Timeout) as exc:
            self._scrub_chain(exc)
            raise unreachable(self._session.api_name, exc, what, service=SERVICE) from exc
        except (requests.RequestException, ValueError) as exc:
            self._scrub_chain(exc)
            raise BadResponse(f"Trello answered {what} unreadably", service=SERVICE) from exc

    def _scrub(self, text: str) -> str:
        """`text` with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _scrub_chain(self, exc: BaseException) -> None:
        """Mask secrets in an exception and its causes, since they are chained into our errors' tracebacks."""
        for link in chain(exc):
            if isinstance(link, ResourceUnavailable):
                link._msg = self._scrub(str(link._msg))
            link.args = tuple(self._scrub(str(arg)) for arg in link.args)
