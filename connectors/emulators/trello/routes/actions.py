"""Action routes of the Trello emulator: one action, its board/card/list, comment deletion, list actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import query_actions
from connectors.emulators.trello.http import Ctx, params
from connectors.emulators.trello.render import board_json, card_json, list_json
from connectors.emulators.trello.state import TrelloError, TrelloState, not_found


def _find(state: TrelloState, action_id: str) -> dict[str, Any]:
    """A stored action by id, or Trello's 404."""
    found = next((a for a in state.actions if a["id"] == action_id), None)
    if found is None:
        raise not_found()
    return found


def action_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/actions and /1/lists/{id}/actions."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.get("/actions/{action_id}")
    async def get_action(action_id: str) -> dict[str, Any]:
        return _find(state, action_id)

    @router.get("/actions/{action_id}/{model}")
    async def get_action_model(action_id: str, model: str) -> dict[str, Any]:
        with state.lock:
            data = _find(state, action_id)["data"]
            if model not in ("board", "card", "list") or model not in data:
                raise not_found()
            ref = data[model]["id"]
            if model == "board":
                return board_json(state.get("boards", ref))
            if model == "card":
                return card_json(state, state.get("cards", ref))
            return list_json(state.get("lists", ref))

    @router.delete("/actions/{action_id}")
    async def delete_comment(action_id: str) -> dict[str, None]:
        with state.lock:
            action = _find(state, action_id)
            if action["type"] != "commentCard":
                raise TrelloError(400, "invalid action type")
            state.actions.remove(action)
            card = state.cards.get(action["data"]["card"]["id"])
            if card is not None:
                card["_comments"] -= 1
        return {"_value": None}

    @router.get("/lists/{list_id}/actions")
    async def get_list_actions(list_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            return query_actions(state, p, list=state.get("lists", list_id)["id"])

    return router
