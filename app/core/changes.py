"""Trello actions as change-log entries: who changed which field of which card, before → after.

Pure: webhook bodies are untrusted JSON, so every lookup tolerates missing or odd-typed values.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

__all__ = ["ChangeDict", "change_records"]


class ChangeDict(TypedDict):
    """One change-log entry: who changed what on which card, when (values as text)."""

    pair: str
    action_id: str | None
    action_type: str | None
    at: str | None  # when it happened: Trello's ISO 8601 action date
    who: str | None  # the Trello member: full name, else username
    card_id: str | None
    card_name: str | None
    field: str  # "name", "due", "list", "custom:Channel", "labels", "created", ...
    before: str | None
    after: str | None


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


def change_records(pair: str, action: dict[str, Any]) -> list[ChangeDict]:
    """The change-log entries of one Trello action for `pair` (none when it touches no card or field)."""
    data = _dict(action.get("data"))
    card = _dict(data.get("card"))
    type_ = action.get("type") if isinstance(action.get("type"), str) else None
    return [
        ChangeDict(
            pair=pair,
            action_id=_text(action.get("id")),
            action_type=type_,
            at=_text(action.get("date")),
            who=_who(action),
            card_id=_text(card.get("id")),
            card_name=_text(card.get("name")),
            field=field,
            before=_text(before),
            after=_text(after),
        )
        for field, before, after in _fields(data, type_ or "")
    ]
