"""A board's fields one at a time, as py-trello writes them, its last activity, and deleting it.

py-trello's Board.close/open/set_name/set_description send `PUT /1/boards/{id}/{closed|name|desc}` with
`value`, and Board.get_last_activity reads `GET /1/boards/{id}/dateLastActivity` as `{"_value": date}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.render import board_json
from connectors.emulators.trello.state import TrelloError

FIELDS = ("name", "desc", "closed", "subscribed", "idOrganization")


def update_board(ctx: Ctx, member: dict[str, Any], board_id: str, p: dict[str, Any]) -> dict[str, Any]:
    """PUT on a board: name, desc, closed (updateBoard with data.old), subscribed, idOrganization."""
    state = ctx.state
    with state.lock:
        board = state.get("boards", board_id)
        if "name" in p and not str(p["name"] or ""):
            raise TrelloError(400, "invalid value for name")
        old = {k: board[k] for k in ("name", "desc", "closed") if k in p and p[k] is not None}
        for k in old:
            board[k] = flag(p[k]) if k == "closed" else str(p[k])
        old = {k: v for k, v in old.items() if v != board[k]}
        if "subscribed" in p:
            board["subscribed"] = flag(p["subscribed"])
        if "idOrganization" in p:
            board["idOrganization"] = str(p["idOrganization"] or "") or None
    if old:
        data = {"old": old, "board": {k: board[k] for k in old}}
        ctx.actions.record("updateBoard", member, board, data)
    return board_json(board)


def board_fields_router(ctx: Ctx) -> APIRouter:
    """PUT /1/boards/{id}/{field}, GET /1/boards/{id}/dateLastActivity|labelNames, DELETE /1/boards/{id}."""
    router = APIRouter(prefix="/1/boards/{board_id}")
    state = ctx.state

    @router.put("/{field}")
    async def put_board_field(board_id: str, field: str, request: Request) -> dict[str, Any]:
        if field not in FIELDS:
            raise TrelloError(404, f"Cannot PUT /1/boards/{board_id}/{field}")
        p = await params(request)
        return update_board(ctx, member_of(request), board_id, {field: p.get("value")})

    @router.get("/labelNames")
    async def label_names(board_id: str) -> dict[str, str]:
        with state.lock:
            return dict(state.get("boards", board_id)["labelNames"])

    @router.get("/dateLastActivity")
    async def date_last_activity(board_id: str) -> dict[str, Any]:
        with state.lock:
            return {"_value": state.get("boards", board_id).get("dateLastActivity")}

    @router.delete("")
    async def delete_board(board_id: str) -> dict[str, None]:
        with state.lock:
            board = state.boards.pop(state.get("boards", board_id)["id"])
            for kind in ("lists", "cards", "labels", "checklists", "webhooks"):
                store: dict[str, dict[str, Any]] = getattr(state, kind)
                for key in [
                    k for k, v in store.items() if board["id"] in (v.get("idBoard"), v.get("idModel"))
                ]:
                    del store[key]
            for key in [k for k, v in state.custom_fields.items() if v["idModel"] == board["id"]]:
                del state.custom_fields[key]
            for member in state.members.values():
                if board["id"] in member.get("idBoards", []):
                    member["idBoards"].remove(board["id"])
        return {"_value": None}

    return router
