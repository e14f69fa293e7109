"""List and label routes of the Trello emulator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import list_ref
from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.render import card_json, label_json, list_json
from connectors.emulators.trello.routes.boards import pick
from connectors.emulators.trello.state import LABEL_COLORS, TrelloError


def list_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/lists and /1/labels."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.post("/lists")
    async def post_list(request: Request) -> dict[str, Any]:
        p = await params(request)
        name = str(p.get("name") or "")
        if not name:
            raise TrelloError(400, "invalid value for name")
        with state.lock:
            board = state.get("boards", str(p.get("idBoard") or ""))
            siblings = [x for x in state.lists.values() if x["idBoard"] == board["id"]]
            pos = state.next_pos(siblings, p.get("pos"))
            lst = {"id": state.new_id(), "name": name, "closed": False, "pos": pos, "idBoard": board["id"]}
            state.lists[lst["id"]] = lst
        ctx.actions.record("createList", member_of(request), board, {"list": list_ref(lst)})
        return list_json(lst)

    @router.get("/lists/{list_id}")
    async def get_list(list_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            return pick(list_json(state.get("lists", list_id)), p.get("fields"))

    @router.get("/lists/{list_id}/cards")
    async def get_list_cards(list_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            lst = state.get("lists", list_id)
            cards = sorted(
                (c for c in state.cards.values() if c["idList"] == lst["id"]), key=lambda c: c["pos"]
            )
            if str(p.get("filter") or "open") == "open":
                cards = [c for c in cards if not c["closed"]]
            return [card_json(state, c) for c in cards]

    @router.put("/lists/{list_id}")
    async def put_list(list_id: str, request: Request) -> dict[str, Any]:
        return update_list(ctx, member_of(request), list_id, await params(request))

    @router.put("/lists/{list_id}/{field}")
    async def put_list_field(list_id: str, field: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        return update_list(ctx, member_of(request), list_id, {field: p.get("value")})

    _label_routes(router, ctx)
    return router


def _label_routes(router: APIRouter, ctx: Ctx) -> None:
    """Routes under /1/labels."""
    state = ctx.state

    @router.post("/labels")
    async def post_label(request: Request) -> dict[str, Any]:
        p = await params(request)
        color = p.get("color") or None
        if color is not None and color not in LABEL_COLORS:
            raise TrelloError(400, "invalid value for color")
        with state.lock:
            board = state.get("boards", str(p.get("idBoard") or ""))
            label = {
                "id": state.new_id(),
                "idBoard": board["id"],
                "name": str(p.get("name") or ""),
                "color": color,
            }
            state.labels[label["id"]] = label
        ctx.actions.record("createLabel", member_of(request), board, {"label": label_json(label)})
        return label_json(label) | {"limits": {}}

    @router.get("/labels/{label_id}")
    async def get_label(label_id: str) -> dict[str, Any]:
        with state.lock:
            return label_json(state.get("labels", label_id))

    @router.put("/labels/{label_id}")
    async def put_label(label_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            label = state.get("labels", label_id)
            old = {k: label[k] for k in ("name", "color") if k in p}
            label.update({k: p[k] for k in old})
        if old:
            data = {"label": label_json(label), "old": old}
            ctx.actions.record("updateLabel", member_of(request), state.boards[label["idBoard"]], data)
        return label_json(label)

    @router.delete("/labels/{label_id}")
    async def delete_label(label_id: str) -> dict[str, Any]:
        with state.lock:
            label = state.labels.pop(state.get("labels", label_id)["id"])
            for card in state.cards.values():
                if label["id"] in card["idLabels"]:
                    card["idLabels"].remove(label["id"])
        return {"limits": {}}


def update_list(ctx: Ctx, member: dict[str, Any], list_id: str, p: dict[str, Any]) -> dict[str, Any]:
    """PUT on a list: name, closed, pos; an updateList action with data.old."""
    state = ctx.state
    with state.lock:
        lst = state.get("lists", list_id)
        old = {k: lst[k] for k in ("name", "closed", "pos") if k in p}
        if "name" in p:
            lst["name"] = str(p["name"])
        if "closed" in p:
            lst["closed"] = flag(p["closed"])
        if "pos" in p:
            siblings = [x for x in state.lists.values() if x["idBoard"] == lst["idBoard"] and x is not lst]
            lst["pos"] = state.next_pos(siblings, p["pos"])
        board = state.boards[lst["idBoard"]]
    if old:
        data: dict[str, Any] = {"list": list_ref(lst) | {k: lst[k] for k in old}, "old": old}
        ctx.actions.record("updateList", member, board, data)
    return list_json(lst)
