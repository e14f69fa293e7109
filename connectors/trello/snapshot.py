"""A board read whole: one nested request while the board is small, card pages beyond Trello's cap.

Trello facts relied on (sources in docs/emulators.md, "Big boards"):
- a card read answers at most 1,000 cards; beyond that the nested board read keeps the newest 1,000 and
  `GET /1/boards/{id}/cards/{filter}` pages newest first with `limit` (≤ 1,000) and `before` (an id):
  trelloR's get_resource reference ("newest results are retrieved first"), gist hakunin/3c25a4c4ae30a2c2c299
  (limit=1 answers the newest card, before=<id> the one before it);
- ObjectIds start with their creation time, so ids order cards oldest to newest;
- a board holds at most 950 labels (`limits.labels.perBoard`), so `labels_limit=1000` reads them all:
  https://developer.atlassian.com/cloud/trello/guides/rest-api/limits/.
A read that cannot be proven whole raises Incomplete, never a short board that looks like deleted cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connectors.errors import BadResponse, Incomplete

SERVICE = "trello"
CARD_CAP = 1000
# Trello's limits.cards.totalPerBoard is 2,000,000: more pages than that means the paging is not advancing.
MAX_PAGES = 2000
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")

FetchPage = Callable[[str | None], list[Any]]


def whole_board(
    board: dict[str, Any], fetch_page: FetchPage, *, paged_from_the_top: bool = False
) -> dict[str, Any]:
    """`board` (the nested read) with every card: pages fetched with fetch_page(before_id) while needed.

    paged_from_the_top: the nested read carried no cards (Trello refused their size); every card comes from
    pages, the first one fetch_page(None). Raises Incomplete when the pages cannot be proven to cover the
    board, BadResponse on a wrong shape.
    """
    board_id = str(board.get("id", "?"))
    if paged_from_the_top:
        first = _cards(fetch_page(None), "the newest page of cards")
        if len({card["id"] for card in first}) < len(first):
            raise _incomplete(board_id, "the newest page of cards repeated cards")
        cards = first + (_older_pages(board_id, first, fetch_page) if len(first) >= CARD_CAP else [])
    else:
        cards = _cards(board.get("cards"), "the board's cards")
        if len(cards) >= CARD_CAP:
            cards = cards + _older_pages(board_id, cards, fetch_page)
    _check_checklists(board, cards)
    return board | {"cards": cards, "labels": _all_labels(board, cards)}


def _older_pages(board_id: str, newest: list[dict[str, Any]], fetch_page: FetchPage) -> list[dict[str, Any]]:
    """The cards older than the nested read's, page after page, until a page comes back short."""
    seen = {card["id"] for card in newest}
    before = _oldest(board_id, newest)
    found: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        page = _cards(fetch_page(before), f"a page of cards before {before}")
        for card in page:
            if card["id"] in seen or not _is_id(card["id"]) or card["id"] >= before:
                raise _incomplete(board_id, f"the page before card {before} repeated or skipped cards")
            seen.add(card["id"])
        found += page
        if len(page) < CARD_CAP:
            return found
        before = _oldest(board_id, page)
    raise _incomplete(board_id, f"more than {MAX_PAGES} pages of cards")


def _oldest(board_id: str, cards: list[dict[str, Any]]) -> str:
    """The smallest card id of a full answer: where the next page starts."""
    ids = [str(card["id"]) for card in cards if _is_id(card["id"])]
    if len(ids) < len(cards):
        raise _incomplete(board_id, "a card id is not a Trello ObjectId, so its cards cannot be paged")
    return min(ids)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_OBJECT_ID.match(value))


def _cards(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of card objects, each with an id, or BadResponse."""
    if not isinstance(value, list) or not all(isinstance(c, dict) and "id" in c for c in value):
        raise BadResponse(f"Trello answered {what} with something not a list of cards", service=SERVICE)
    return value


def _check_checklists(board: dict[str, Any], cards: list[dict[str, Any]]) -> None:
    """Every checklist the board lists belongs to a card we read: otherwise cards are missing."""
    ids = {card["id"] for card in cards}
    orphans = {c.get("idCard") for c in board.get("checklists") or [] if c.get("idCard") not in ids}
    if orphans:
        raise _incomplete(board.get("id", "?"), f"{len(orphans)} card(s) with checklists were not returned")


def _all_labels(board: dict[str, Any], cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The board's labels plus any label a card carries that the (possibly truncated) list lacks."""
    labels = list(board.get("labels") or [])
    known = {label.get("id") for label in labels}
    for card in cards:
        for label in card.get("labels") or []:
            if isinstance(label, dict) and label.get("id") not in known:
                known.add(label.get("id"))
                labels.append(label)
    return labels


def _incomplete(board_id: str, why: str) -> Incomplete:
    """The refusal: nothing is written from a read that may have missed cards."""
    return Incomplete(
        f"Trello's answer for board {board_id} cannot be proven whole ({why}); nothing was changed. "
        "Run again; if it persists, report it with this message.",
        service=SERVICE,
    )
