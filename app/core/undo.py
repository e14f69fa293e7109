"""What `boardsheet undo-archive` undoes (pure): the cards one member archived or deleted, from board actions.

Shapes as Trello records them (https://developer.atlassian.com/cloud/trello/guides/rest-api/action-types/):
archiving is an updateCard whose data.old is {"closed": false} and data.card.closed true; deleteCard
carries data.card {id, idShort} only, no name. memberCreator is {id, username, fullName}.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.snapshots import shown
from app.core.wording import cell_text, serial_text

__all__ = ["ACTION_TYPES", "Undo", "by_member", "row_text", "snapshot_row", "still_archived", "undo_of"]

ACTION_TYPES = "updateCard:closed,deleteCard"


@dataclass(frozen=True)
class Undo:
    """The member's archived cards (id, name, when) to unarchive, and deleted ones (id, name, when)."""

    archived: tuple[tuple[str, str, str], ...]
    deleted: tuple[tuple[str, str, str], ...]


def by_member(action: Mapping[str, Any], member: str) -> bool:
    """Whether the action's creator is `member`: id, username (with or without @) or full name."""
    creator = action.get("memberCreator") or {}
    wanted = member.strip().removeprefix("@").casefold()
    names = (
        action.get("idMemberCreator"),
        creator.get("id"),
        creator.get("username"),
        creator.get("fullName"),
    )
    return any(isinstance(name, str) and name.casefold() == wanted for name in names)


def undo_of(actions: Sequence[Mapping[str, Any]], member: str) -> Undo:
    """The cards `member` archived (and did not delete) or deleted, oldest action first, one entry each."""
    archived: dict[str, tuple[str, str, str]] = {}
    deleted: dict[str, tuple[str, str, str]] = {}
    for action in sorted(actions, key=lambda a: str(a.get("date", ""))):
        if not by_member(action, member):
            continue
        data = action.get("data") or {}
        card = data.get("card") or {}
        card_id, when = str(card.get("id", "")), str(action.get("date", ""))
        if action.get("type") == "deleteCard" and card_id:
            name = archived.pop(card_id, ("", "", ""))[1]
            deleted[card_id] = (card_id, name, when)
        elif _archives(data) and card_id:
            archived[card_id] = (card_id, str(card.get("name", "")), when)
    return Undo(tuple(archived.values()), tuple(deleted.values()))


def still_archived(board: Mapping[str, Any], card_ids: Collection[str]) -> frozenset[str]:
    """Those of `card_ids` the board read shows archived now: someone may have reopened (or deleted) the
    rest since, and unarchiving an open card again would only repeat a PUT and a claim."""
    closed = {str(card.get("id")) for card in board.get("cards") or () if card.get("closed") is True}
    return frozenset(card_id for card_id in card_ids if card_id in closed)


def _archives(data: Mapping[str, Any]) -> bool:
    """An updateCard that closed the card (data.old.closed false, data.card.closed true)."""
    old = data.get("old") or {}
    return old.get("closed") is False and (data.get("card") or {}).get("closed") is True


def row_text(row: Mapping[str, Any], date_headers: Collection[str]) -> dict[str, str]:
    """A base row (header -> value) as the sheet showed it: dates in `date_headers` as dates (date-only at
    midnight, as mapping.date_cell writes them), checkboxes as TRUE/FALSE, so someone can re-create it."""
    shown = {}
    for header, value in row.items():
        if header in date_headers and isinstance(value, int | float) and not isinstance(value, bool):
            shown[header] = serial_text(float(value), "DATE" if float(value).is_integer() else "DATE_TIME")
        else:
            shown[header] = cell_text(value)
    return shown


def snapshot_row(
    document: Mapping[str, Any], key_header: str, card_id: str, date_headers: Collection[str]
) -> dict[str, str] | None:
    """The card's row in a tab snapshot (header -> text, free columns too), None when it has none.

    The header row is the first holding `key_header` (a freshness line may sit above it).
    """
    rows: list[list[Any]] = [[shown(value) for value in row] for row in document.get("rows", [])]
    top = next((index for index, row in enumerate(rows) if key_header in row), None)
    if top is None:
        return None
    header, key = rows[top], rows[top].index(key_header)
    for raw, row in zip(document["rows"][top + 1 :], rows[top + 1 :], strict=True):
        if key < len(row) and row[key] == card_id:
            texts = [_dated(value, text) if name in date_headers else text for name, value, text in
                     zip(header, raw, row, strict=False)]  # fmt: skip
            return {name: text for name, text in zip(header, texts, strict=False) if name}
    return None


def _dated(value: Any, text: str) -> str:
    """A date column's number as the sheet showed it (date-only at midnight); other values as they are."""
    number = (value or {}).get("numberValue")
    if isinstance(number, int | float) and not isinstance(number, bool):
        return serial_text(float(number), "DATE" if float(number).is_integer() else "DATE_TIME")
    return text
