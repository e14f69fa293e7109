"""Trello actions as change-log records: who changed which field of which card, before → after.

Pure: webhook bodies are untrusted JSON, so every lookup tolerates missing or odd-typed values. List
custom fields change by option id; `OptionNames` (learned from every board read, never fetched) turns
those ids into the text people read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.core.records import ChangeRecord

__all__ = ["OptionNames", "change_records", "option_texts"]


MAX_TEXT = 1000
# Where the old values of `data.old` belong, most specific first, and the field prefix people see.
_ENTITIES: tuple[tuple[str, str], ...] = (
    ("checkItem", "check item."),
    ("checklist", "checklist."),
    ("label", "label."),
    ("action", "comment."),
    ("card", ""),
    ("list", "list."),
    ("board", "board."),
)
# Action types without `data.old`: what they change, and where the new or removed value lives.
_EVENTS: dict[str, tuple[str, str | None, str | None]] = {
    "createCard": ("created", None, "list"),
    "copyCard": ("created", None, "list"),
    "deleteCard": ("deleted", None, None),
    "commentCard": ("comment", None, "text"),
    "addLabelToCard": ("labels", None, "label"),
    "removeLabelFromCard": ("labels", "label", None),
    "addMemberToCard": ("members", None, "member"),
    "removeMemberFromCard": ("members", "member", None),
}


def _dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (webhook bodies are untrusted)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A value as change-log text: strings as-is, custom-field values unwrapped, the rest as JSON."""
    if value is None or isinstance(value, str):
        return value if value is None or len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, dict):
        for key in ("name", "text", "number", "date", "checked", "fullName", "color"):
            if value.get(key) not in (None, ""):
                return _text(value[key])
        if "idValue" in value:
            return _text(value["idValue"])
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _who(action: dict[str, Any]) -> str | None:
    """The member who made the change."""
    member = action.get("memberCreator")
    if isinstance(member, dict):
        for key in ("fullName", "username"):
            if member.get(key):
                return str(member[key])
    creator = action.get("idMemberCreator")
    return creator if isinstance(creator, str) else None


def _fields(data: dict[str, Any], type_: str) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every change one action describes."""
    old = _dict(data.get("old"))
    empty: dict[str, Any] = {}
    prefix, target = next(((p, data[k]) for k, p in _ENTITIES if isinstance(data.get(k), dict)), ("", empty))
    found: list[tuple[str, Any, Any]] = []
    if "listBefore" in data or "listAfter" in data:
        found.append(("list", data.get("listBefore"), data.get("listAfter")))
        old.pop("idList", None)
    custom_field = _dict(data.get("customField")).get("name")
    if custom_field:
        # A list field changes `idValue` (an option id), the other kinds change `value`: one entry either way.
        item = _dict(data.get("customFieldItem"))
        before = old.pop("value", None) or old.pop("idValue", None)
        old.pop("idValue", None)
        found.append((f"custom:{custom_field}", before, item.get("value") or item.get("idValue")))
    found += [(prefix + key, before, target.get(key)) for key, before in old.items()]
    has_card = isinstance(data.get("card"), dict)
    if not found and has_card and type_ in _EVENTS:
        field, before_key, after_key = _EVENTS[type_]
        found.append(
            (field, data.get(before_key) if before_key else None, data.get(after_key) if after_key else None)
        )
    if not found and has_card:
        found.append((type_ or "changed", None, None))
    return found


def _when(text: str | None, received_at: datetime) -> datetime:
    """Trello's ISO 8601 action date as an aware datetime; `received_at` when missing or unreadable."""
    if text:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return received_at
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return received_at


def change_records(
    pair: str, board_id: str, action: dict[str, Any], *, received_at: datetime
) -> list[ChangeRecord]:
    """The change-log records of one Trello action for `pair` (none when it touches no card or field).

    Missing texts become empty, an unknown member "someone", a missing date `received_at`.
    """
    data = _dict(action.get("data"))
    card = _dict(data.get("card"))
    type_ = action.get("type") if isinstance(action.get("type"), str) else None
    at = _when(_text(action.get("date")), received_at)
    return [
        ChangeRecord(
            at=at,
            pair=pair,
            board_id=board_id,
            action_id=_text(action.get("id")) or "",
            action_type=type_ or "",
            member=_who(action) or "someone",
            card_id=_text(card.get("id")) or "",
            card_name=_text(card.get("name")) or "",
            field=field,
            before=_text(before),
            after=_text(after),
        )
        for field, before, after in _fields(data, type_ or "")
    ]


def option_texts(board: Mapping[str, Any]) -> dict[str, str]:
    """Option id -> text for every list custom field of a board JSON."""
    texts: dict[str, str] = {}
    for field in board.get("customFields") or []:
        for option in (field.get("options") or []) if isinstance(field, dict) else []:
            text = (option.get("value") or {}).get("text") if isinstance(option, dict) else None
            if isinstance(text, str) and isinstance(option.get("id"), str):
                texts[option["id"]] = text
    return texts


class OptionNames:
    """Every option text seen so far in this process (thread-safe)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()

    def learn(self, board: Mapping[str, Any]) -> None:
        """Remember the option texts of a board read."""
        texts = option_texts(board)
        with self._lock:
            self._texts.update(texts)

    def named(self, change: ChangeRecord, known: Mapping[str, str] | None = None) -> ChangeRecord:
        """The change with option ids of a custom field replaced by their text: this process's own
        board reads first, then `known` (option id -> text, e.g. what the store kept from any run)."""
        if not change.field.startswith("custom:"):
            return change
        with self._lock:
            texts = {**(known or {}), **self._texts}
        before = texts.get(change.before or "", change.before)
        after = texts.get(change.after or "", change.after)
        return replace(change, before=before, after=after)
