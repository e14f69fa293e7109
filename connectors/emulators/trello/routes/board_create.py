"""POST /1/boards of the Trello emulator: a new board, or a copy of one (idBoardSource)."""

from __future__ import annotations

from typing import Any

from connectors.emulators.trello.copying import copy_board_content
from connectors.emulators.trello.http import Ctx, flag
from connectors.emulators.trello.render import board_json, new_board
from connectors.emulators.trello.state import LABEL_COLORS, TrelloError

DEFAULT_LISTS = ("To Do", "Doing", "Done")


def create_board(ctx: Ctx, member: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """POST /1/boards: the board, its default lists and labels, a createBoard action."""
    name = str(p.get("name") or "")
    if not name:
        raise TrelloError(400, "invalid value for name")
    state = ctx.state
    with state.lock:
        source = state.get("boards", str(p["idBoardSource"])) if p.get("idBoardSource") else None
        permission = str(p.get("prefs_permissionLevel") or "private")
        board = new_board(state, name, str(p.get("desc") or ""), permission, member["id"])
        board["_members"].append(member["id"])
        state.boards[board["id"]] = board
        member.setdefault("idBoards", []).append(board["id"])
        if source is not None:
            copy_board_content(state, source, board, str(p.get("keepFromSource") or "none") == "cards")
    if source is not None:
        data = {"boardSource": {"id": source["id"]}}
        ctx.actions.record("copyBoard", member, board, data)
        return board_json(board)
    with state.lock:
        if p.get("defaultLabels") is None or flag(p.get("defaultLabels")):
            for color in LABEL_COLORS[:6]:
                label_id = state.new_id()
                state.labels[label_id] = {"id": label_id, "idBoard": board["id"], "name": "", "color": color}
        if p.get("defaultLists") is None or flag(p.get("defaultLists")):
            for pos, list_name in enumerate(DEFAULT_LISTS, start=1):
                list_id = state.new_id()
                lst = {
                    "id": list_id,
                    "name": list_name,
                    "closed": False,
                    "pos": 16384.0 * pos,
                    "idBoard": board["id"],
                }
                state.lists[list_id] = lst
    ctx.actions.record("createBoard", member, board, {})
    return board_json(board)
