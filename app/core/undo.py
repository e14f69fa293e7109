"""What `boardsheet undo-archive` undoes (pure): the cards one member archived or deleted, from board actions.

Shapes as Trello records them (https://developer.atlassian.com/cloud/trello/guides/rest-api/action-types/):
archiving is an updateCard whose data.old is {"closed": false} and data.card.closed true; deleteCard
carries data.card {id, idShort} only, no name. memberCreator is {id, username, fullName}.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.wording import cell_text, serial_text

__all__ = ["ACTION_TYPES", "Undo", "by_member", "row_text", "undo_of"]

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
