"""Trello's caps on what one request returns: card pages, nested labels, the too-many-cards 403, board limits.

Sources (see docs/emulators.md, "Big boards"):
- card reads answer at most 1,000 cards, newest first, paged with `before`/`since` (an id or a date):
  trelloR's get_resource ("Results are fetched chronologically, ie. newest results are retrieved first")
  and a recorded experiment (gist hakunin/3c25a4c4ae30a2c2c299: limit=1 answers the newest card);
- cards asked for with nested per-card data beyond the response-size limit answer 403
  `API_TOO_MANY_CARDS_REQUESTED` (https://developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/,
  "Response Size Limits"; reported at 1,168 cards read with their actions);
- labels: `limit` / `labels_limit` from 0 to 1,000, default 50 (Trello's GET /1/boards/{id}/labels reference);
- `limits.cards.openPerBoard` 5,000 (warn 4,500), `totalPerBoard` 2,000,000 (warn 1,800,000):
  https://developer.atlassian.com/cloud/trello/guides/rest-api/limits/.
"""

from __future__ import annotations

from typing import Any

from connectors.emulators.trello.state import TrelloError, is_object_id, iso, parse_date

CARD_CAP = 1000
LABELS_DEFAULT = 50
LABELS_MAX = 1000
# Cards one request may carry with nested per-card data before Trello refuses the response's size.
NESTED_CARDS_MAX = 1000
NESTED_CARD_DATA = ("actions", "checklists", "customFieldItems", "attachments", "members", "stickers")
TOO_MANY_CARDS = {"error": "API_TOO_MANY_CARDS_REQUESTED", "message": "Requested too many cards"}
OPEN_CARDS = (5000, 4500)
TOTAL_CARDS = (2_000_000, 1_800_000)


def _bounded(value: Any, name: str, default: int, maximum: int) -> int:
    """A count parameter in 0..maximum, or Trello's 400 "invalid value for <name>"."""
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except ValueError as exc:
        raise TrelloError(400, f"invalid value for {name}") from exc
    if not 0 <= number <= maximum:
        raise TrelloError(400, f"invalid value for {name}")
    return number


def _created(card_id: str) -> str:
    """A card's creation time, read from its ObjectId's first 8 hex digits, as Trello writes dates."""
    return iso(float(int(card_id[:8], 16)))


def _key(bound: str) -> tuple[bool, str]:
    """How cards compare with a `before`/`since` bound: (by id?, the bound as an id or Trello date)."""
    return (True, bound) if is_object_id(bound) else (False, parse_date(bound) or "")


def _position(card_id: str, by_id: bool) -> str:
    return card_id if by_id else _created(card_id)


def page_cards(cards: list[dict[str, Any]], p: dict[str, Any]) -> list[dict[str, Any]]:
    """One card read: `before`/`since` applied, then, when paged or over the cap, the newest `limit` first."""
    limit = _bounded(p.get("limit"), "limit", CARD_CAP, CARD_CAP)
    found = cards
    if p.get("before"):
        by_id, bound = _key(str(p["before"]))
        found = [c for c in found if _position(c["id"], by_id) < bound]
    if p.get("since"):
        by_id, bound = _key(str(p["since"]))
        found = [c for c in found if _position(c["id"], by_id) > bound]
    if p.get("limit") in (None, "") and not p.get("before") and not p.get("since") and len(found) <= CARD_CAP:
        return found  # a small unpaged read keeps the board's order
    return sorted(found, key=lambda c: str(c["id"]), reverse=True)[:limit]


def nested_cards(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A nested board read's cards: the newest 1,000 when there are more (Trello truncates silently)."""
    if len(cards) <= CARD_CAP:
        return cards
    return sorted(cards, key=lambda c: c["id"], reverse=True)[:CARD_CAP]


def check_response_size(count: int, p: dict[str, Any], keys: tuple[str, ...] = NESTED_CARD_DATA) -> None:
    """403 API_TOO_MANY_CARDS_REQUESTED when more than 1,000 cards are asked for with nested card data."""
    wanted = any(p.get(k) not in (None, "", "none", "false", False) for k in keys)
    if wanted and count > NESTED_CARDS_MAX:
        raise TrelloError(403, TOO_MANY_CARDS["message"], dict(TOO_MANY_CARDS))


def labels_page(labels: list[dict[str, Any]], value: Any, name: str) -> list[dict[str, Any]]:
    """A board's labels as one read returns them: `value` of them (default 50, at most 1,000)."""
    return labels[: _bounded(value, name, LABELS_DEFAULT, LABELS_MAX)]


def _limit(count: int, caps: tuple[int, int]) -> dict[str, Any]:
    """One entry of a `limits` object: status ok, warn or disabled at the thresholds."""
    disable_at, warn_at = caps
    status = "disabled" if count >= disable_at else "warn" if count >= warn_at else "ok"
    return {"status": status, "disableAt": disable_at, "warnAt": warn_at}


def board_limits(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """A board's `limits` field for its cards (open and total)."""
    open_cards = sum(1 for c in cards if not c["closed"])
    return {
        "cards": {
            "openPerBoard": _limit(open_cards, OPEN_CARDS),
            "totalPerBoard": _limit(len(cards), TOTAL_CARDS),
        }
    }
