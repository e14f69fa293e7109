"""Moving a card to another board: `PUT /1/cards/{id}` with `idBoard` (and optionally `idList`), or
py-trello's and ruby-trello's `PUT /1/cards/{id}/idBoard` with `value`.

Recorded (can_move_a_card_to_another_board_with[out]_specific_list.yml): without `idList` the card lands at
the bottom of the target board's first list; its `idShort` stays. Trello records `moveCardFromBoard` on the
source board (data.board = source, data.boardTarget) and `moveCardToBoard` on the target board
(data.board = target, data.boardSource), as captured by fiatjaf/trello-webhooks (card-movefromboard.json,
card-movetoboard.json). Labels and custom-field values of the source board do not come along (they belong
to it); members stay only if they are members of the target board.
"""

from __future__ import annotations

from typing import Any

from connectors.emulators.trello.actions import ActionLog, card_ref, list_ref
from connectors.emulators.trello.render import action_ref
from connectors.emulators.trello.state import TrelloError, TrelloState

Obj = dict[str, Any]


def relocate(state: TrelloState, card: Obj, board_id: str, list_id: Any, pos: Any) -> tuple[Obj, Obj] | None:
    """Move `card` to another board (the caller holds the lock); its old (board, list), None if it stays."""
    target = state.get("boards", str(board_id))
    if target["id"] == card["idBoard"]:
        return None
    if list_id:
        lst = state.get("lists", str(list_id))
        if lst["idBoard"] != target["id"]:
            raise TrelloError(400, "invalid value for idList")
    else:
        open_lists = sorted(
            (x for x in state.lists.values() if x["idBoard"] == target["id"] and not x["closed"]),
            key=lambda x: x["pos"],
        )
        if not open_lists:
            raise TrelloError(400, "invalid value for idList")
        lst = open_lists[0]
    old = (state.boards[card["idBoard"]], state.lists[card["idList"]])
    siblings = [c for c in state.cards.values() if c["idList"] == lst["id"]]
    card["pos"] = state.next_pos(siblings, pos)
    card["idBoard"], card["idList"] = target["id"], lst["id"]
    card["idLabels"] = [i for i in card["idLabels"] if state.labels.get(i, {}).get("idBoard") == target["id"]]
    card["idMembers"] = [m for m in card["idMembers"] if m in target["_members"]]
    for key in [k for k in state.field_items if k[0] == card["id"]]:
        if state.custom_fields[key[1]]["idModel"] != target["id"]:
            del state.field_items[key]
    for checklist in state.checklists.values():
        if checklist["idCard"] == card["id"]:
            checklist["idBoard"] = target["id"]
    return old


def record_move(
    actions: ActionLog, member: Obj, card: Obj, old: tuple[Obj, Obj], new: tuple[Obj, Obj]
) -> None:
    """moveCardFromBoard on the source board, then moveCardToBoard on the target board."""
    (source, old_list), (target, new_list) = old, new
    away = {"card": action_ref(card), "list": list_ref(old_list), "boardTarget": action_ref(target)}
    away["member"] = {"id": member["id"], "name": member["fullName"]}  # as captured
    actions.record("moveCardFromBoard", member, source, away)
    here = {"card": card_ref(card), "list": list_ref(new_list), "boardSource": action_ref(source)}
    actions.record("moveCardToBoard", member, target, here)
