"""The board as Trello will show it once a run's two-way writes are applied (pure).

A run plans from the board it read, then writes the sheet's accepted edits to Trello before its one
Sheets batch. Whatever else that batch draws from the board (the month grids, the list tab's colours and
links, the approval flags) and the calendar feed are drawn from this board instead: they show the
stakeholder's edit at once, and the run that the writes' webhooks cause (the echo) finds nothing to write.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.plan import CustomItem, TrelloWrite

__all__ = ["board_with_writes"]

_ID_LISTS = ("idLabels", "idMembers")  # PUT /1/cards/{id} takes them as comma-separated ids


def board_with_writes(board_json: Mapping[str, Any], writes: Sequence[TrelloWrite]) -> dict[str, Any]:
    """A copy of the board's JSON with each write's fields and custom-field items set on its card."""
    applied: dict[str, Any] = copy.deepcopy(dict(board_json))
    cards = {str(raw.get("id")): raw for raw in applied.get("cards") or []}
    for write in writes:
        raw = cards.get(write.key)
        if raw is None:
            continue  # the card left the board since the plan: Trello refuses the write anyway
        for key, value in write.put.items():
            raw[key] = [i for i in str(value or "").split(",") if i] if key in _ID_LISTS else value
        if "idLabels" in write.put:
            raw.pop("labels", None)  # label objects the card carried would name the old labels
        for item in write.custom:
            raw["customFieldItems"] = _with_item(raw.get("customFieldItems") or [], write.key, item)
    return applied


def _with_item(items: list[dict[str, Any]], card_id: str, item: CustomItem) -> list[dict[str, Any]]:
    """The card's custom-field items with `item` set (neither value nor option: cleared)."""
    kept = [i for i in items if i.get("idCustomField") != item.field_id]
    new: dict[str, Any] = {"idCustomField": item.field_id, "idModel": card_id, "modelType": "card"}
    if item.id_value:
        kept.append({**new, "idValue": item.id_value})
    elif item.value is not None:
        kept.append({**new, "value": dict(item.value)})
    return kept
