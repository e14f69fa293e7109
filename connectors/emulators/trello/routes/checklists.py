"""Checklist routes of the Trello emulator: checklists on cards and their check items."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import card_ref
from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.state import TrelloError, TrelloState


def checklist_json(checklist: dict[str, Any]) -> dict[str, Any]:
    """A checklist with its check items."""
    return {**checklist, "checkItems": [dict(item) for item in checklist["checkItems"]]}


def _item_json(item: dict[str, Any]) -> dict[str, Any]:
    """A check item as its own routes answer it (with type and creationMethod)."""
    return dict(item) | {"type": None, "creationMethod": None}


def create_checklist(ctx: Ctx, member: dict[str, Any], card_id: str, p: dict[str, Any]) -> dict[str, Any]:
    """A checklist on a card (a copy of idChecklistSource's items when given); addChecklistToCard."""
    state = ctx.state
    with state.lock:
        card = state.get("cards", card_id)
        source = state.get("checklists", str(p["idChecklistSource"])) if p.get("idChecklistSource") else None
        siblings = [c for c in state.checklists.values() if c["idCard"] == card["id"]]
        name = str(p.get("name") or (source["name"] if source else "Checklist"))
        checklist: dict[str, Any] = {
            "id": state.new_id(),
            "name": name,
            "idCard": card["id"],
            "pos": state.next_pos(siblings, p.get("pos")),
            "idBoard": card["idBoard"],
            "checkItems": [],
        }
        for item in source["checkItems"] if source else []:
            _add_item(state, checklist, {"name": item["name"], "checked": item["state"] == "complete"})
        state.checklists[checklist["id"]] = checklist
        board = state.boards[card["idBoard"]]
    data = {"card": card_ref(card), "checklist": {"id": checklist["id"], "name": name}}
    ctx.actions.record("addChecklistToCard", member, board, data)
    return checklist_json(checklist) | {"limits": {}}


def _add_item(state: TrelloState, checklist: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """Append one check item to a checklist."""
    name = str(p.get("name") or "")
    if not name:
        raise TrelloError(400, "invalid value for name")
    item = {
        "idChecklist": checklist["id"],
        "state": "complete" if flag(p.get("checked")) else "incomplete",
        "id": state.new_id(),
        "name": name,
        "nameData": None,
        "pos": state.next_pos(checklist["checkItems"], p.get("pos")),
        "due": None,
        "idMember": None,
    }
    checklist["checkItems"].append(item)
    checklist["checkItems"].sort(key=lambda i: i["pos"])
    return item


def update_checklist(state: TrelloState, checklist_id: str, p: dict[str, Any]) -> dict[str, Any]:
    """PUT on a checklist: name, pos."""
    with state.lock:
        checklist = state.get("checklists", checklist_id)
        if "name" in p:
            if not str(p["name"] or ""):
                raise TrelloError(400, "invalid value for name")
            checklist["name"] = str(p["name"])
        if "pos" in p:
            others = [c for c in state.checklists.values() if c["idCard"] == checklist["idCard"]]
            checklist["pos"] = state.next_pos([c for c in others if c is not checklist], p["pos"])
        return checklist_json(checklist)


def _item_data(card: dict[str, Any], checklist: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Action data of a check-item change."""
    return {
        "card": card_ref(card),
        "checklist": {"id": checklist["id"], "name": checklist["name"]},
        "checkItem": {"id": item["id"], "name": item["name"], "state": item["state"]},
    }


def checklist_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/checklists and the card routes that reach checklists."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.post("/checklists")
    async def post_checklist(request: Request) -> dict[str, Any]:
        p = await params(request)
        return create_checklist(ctx, member_of(request), str(p.get("idCard") or ""), p)

    @router.post("/cards/{card_id}/checklists")
    async def post_card_checklist(card_id: str, request: Request) -> dict[str, Any]:
        return create_checklist(ctx, member_of(request), card_id, await params(request))

    @router.get("/checklists/{checklist_id}")
    async def get_checklist(checklist_id: str) -> dict[str, Any]:
        with state.lock:
            return checklist_json(state.get("checklists", checklist_id))

    @router.put("/checklists/{checklist_id}")
    async def put_checklist(checklist_id: str, request: Request) -> dict[str, Any]:
        return update_checklist(state, checklist_id, await params(request))

    @router.put("/checklists/{checklist_id}/{field}")
    async def put_checklist_field(checklist_id: str, field: str, request: Request) -> dict[str, Any]:
        if field not in ("name", "pos"):  # py-trello's Checklist.rename: PUT .../name with `value`
            raise TrelloError(404, f"Cannot PUT /1/checklists/{checklist_id}/{field}")
        return update_checklist(state, checklist_id, {field: (await params(request)).get("value")})

    @router.delete("/checklists/{checklist_id}/checkItems/{item_id}")
    async def delete_item(checklist_id: str, item_id: str) -> dict[str, Any]:
        with state.lock:
            checklist = state.get("checklists", checklist_id)
            kept = [i for i in checklist["checkItems"] if i["id"] != item_id]
            if len(kept) == len(checklist["checkItems"]):
                raise TrelloError(404, "The requested resource was not found.")
            checklist["checkItems"] = kept
        return {"limits": {}}

    @router.delete("/checklists/{checklist_id}")
    async def delete_checklist(checklist_id: str) -> dict[str, Any]:
        with state.lock:
            state.checklists.pop(state.get("checklists", checklist_id)["id"])
        return {"limits": {}}

    @router.post("/checklists/{checklist_id}/checkItems")
    async def post_item(checklist_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            checklist = state.get("checklists", checklist_id)
            item = _add_item(state, checklist, p)
            card, board = state.cards[checklist["idCard"]], state.boards[checklist["idBoard"]]
        ctx.actions.record("createCheckItem", member_of(request), board, _item_data(card, checklist, item))
        return _item_json(item) | {"limits": {}}

    @router.put("/cards/{card_id}/checkItem/{item_id}")
    @router.put("/cards/{card_id}/checklist/{checklist_id}/checkItem/{item_id}")  # py-trello's form
    async def put_item(card_id: str, item_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            card = state.get("cards", card_id)
            lists = [c for c in state.checklists.values() if c["idCard"] == card["id"]]
            item = next((i for c in lists for i in c["checkItems"] if i["id"] == item_id), None)
            if item is None:
                raise TrelloError(404, "The requested resource was not found.")
            if "state" in p:
                item["state"] = "complete" if p["state"] in ("complete", "true", True) else "incomplete"
            if "name" in p:
                item["name"] = str(p["name"])
            board = state.boards[card["idBoard"]]
        data = _item_data(card, state.checklists[item["idChecklist"]], item)
        ctx.actions.record("updateCheckItemStateOnCard", member_of(request), board, data)
        return _item_json(item)

    return router
