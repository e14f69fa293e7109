"""A new board made from another (`POST /1/boards` with `idBoardSource`).

Trello's reference for POST /1/boards: `idBoardSource` "the id of a board to copy into the new board",
`keepFromSource` "to keep cards from the original board pass in the value `cards`" (default none); the
recorded ruby-trello call passes `keepFromSource=cards` to get them (can_success_create_a_board_with_full_
parameters.yml). The copy gets the source's lists, labels and custom-field definitions (its own lists and
labels instead of the defaults), and with `cards`, its open cards with their labels, checklists and
custom-field values, in new objects with new ids. The board records a `copyBoard` action.
"""

from __future__ import annotations

import copy
import hashlib
import time
from typing import Any

from connectors.emulators.trello.render import new_card
from connectors.emulators.trello.state import TrelloState, iso

Obj = dict[str, Any]


def copy_board_content(state: TrelloState, source: Obj, board: Obj, keep_cards: bool) -> None:
    """Fill `board` (new, empty) with copies of `source`'s lists, labels, fields and (keep_cards) cards."""
    lists = _copy_lists(state, source, board)
    labels = _copy_labels(state, source, board)
    fields, options = _copy_fields(state, source, board)
    board["idBoardSource"] = source["id"]
    if not keep_cards:
        return
    for card in state.board_cards(source["id"]):
        if card["closed"] or card["idList"] not in lists:
            continue
        kept = {k: copy.deepcopy(card[k]) for k in ("name", "desc", "due", "start", "dueComplete", "pos")}
        clone = new_card(state, board, kept | {"idList": lists[card["idList"]]})
        clone["idLabels"] = [labels[i] for i in card["idLabels"] if i in labels]
        clone["url"] = clone["shortUrl"]
        clone["dateLastActivity"] = iso(time.time())
        state.cards[clone["id"]] = clone
        _copy_card_parts(state, card, clone, fields, options)


def _copy_lists(state: TrelloState, source: Obj, board: Obj) -> dict[str, str]:
    mapping = {}
    for lst in sorted(
        (x for x in state.lists.values() if x["idBoard"] == source["id"]), key=lambda x: x["pos"]
    ):
        if lst["closed"]:
            continue
        clone = {**lst, "id": state.new_id(), "idBoard": board["id"]}
        state.lists[clone["id"]] = clone
        mapping[lst["id"]] = clone["id"]
    return mapping


def _copy_labels(state: TrelloState, source: Obj, board: Obj) -> dict[str, str]:
    mapping = {}
    for label in [x for x in state.labels.values() if x["idBoard"] == source["id"]]:
        clone = {**label, "id": state.new_id(), "idBoard": board["id"]}
        state.labels[clone["id"]] = clone
        mapping[label["id"]] = clone["id"]
    return mapping


def _copy_fields(state: TrelloState, source: Obj, board: Obj) -> tuple[dict[str, str], dict[str, str]]:
    fields, options = {}, {}
    for cf in [x for x in state.custom_fields.values() if x["idModel"] == source["id"]]:
        field_id = state.new_id()
        clone = copy.deepcopy(cf) | {"id": field_id, "idModel": board["id"]}
        clone["fieldGroup"] = hashlib.sha256(field_id.encode()).hexdigest()
        for option in clone["options"]:
            options[option["id"]] = option["id"] = state.new_id()
            option["idCustomField"] = field_id
        state.custom_fields[field_id] = clone
        fields[cf["id"]] = field_id
    return fields, options


def _copy_card_parts(
    state: TrelloState, card: Obj, clone: Obj, fields: dict[str, str], options: dict[str, str]
) -> None:
    """A copied card's checklists and custom-field values."""
    for checklist in [c for c in state.checklists.values() if c["idCard"] == card["id"]]:
        new = copy.deepcopy(checklist) | {
            "id": state.new_id(),
            "idCard": clone["id"],
            "idBoard": clone["idBoard"],
        }
        for item in new["checkItems"]:
            item |= {"id": state.new_id(), "idChecklist": new["id"]}
        state.checklists[new["id"]] = new
    for (card_id, field_id), item in list(state.field_items.items()):
        if card_id != card["id"] or field_id not in fields:
            continue
        new_item = copy.deepcopy(item) | {
            "id": state.new_id(),
            "idCustomField": fields[field_id],
            "idModel": clone["id"],
        }
        if "idValue" in new_item:
            new_item["idValue"] = options.get(new_item["idValue"], new_item["idValue"])
        state.field_items[(clone["id"], fields[field_id])] = new_item
