"""What hangs off a card: labels, members, comments and checklists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import card_ref, list_ref
from connectors.emulators.trello.http import Ctx, member_of, params
from connectors.emulators.trello.render import label_json, member_json
from connectors.emulators.trello.state import TrelloError, TrelloState


def _ids(value: Any) -> list[str]:
    """Ids given as a list or a comma-separated string."""
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [v for v in str(value).split(",") if v]


def set_labels(state: TrelloState, card: dict[str, Any], value: Any, replace: bool = False) -> None:
    """Put labels (of the card's board) on a card."""
    wanted = [state.get("labels", i)["id"] for i in _ids(value)]
    if any(state.labels[i]["idBoard"] != card["idBoard"] for i in wanted):
        raise TrelloError(400, "invalid value for idLabels")
    base = [] if replace else card["idLabels"]
    card["idLabels"] = base + [i for i in wanted if i not in base]


def set_members(state: TrelloState, card: dict[str, Any], value: Any, replace: bool = False) -> None:
    """Put members on a card."""
    wanted = [state.find_member(i)["id"] for i in _ids(value)]
    base = [] if replace else card["idMembers"]
    card["idMembers"] = base + [i for i in wanted if i not in base]


def _context(state: TrelloState, card_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A card with its board and list."""
    card = state.get("cards", card_id)
    return card, state.boards[card["idBoard"]], state.lists[card["idList"]]


def card_links_router(ctx: Ctx) -> APIRouter:
    """Label, member, comment and checklist routes under /1/cards/{id}."""
    router = APIRouter(prefix="/1/cards/{card_id}")
    state = ctx.state

    @router.post("/idLabels")
    async def add_label(card_id: str, request: Request) -> list[str]:
        p = await params(request)
        with state.lock:
            card, board, _ = _context(state, card_id)
            label = state.get("labels", str(p.get("value") or ""))
            if label["id"] in card["idLabels"]:
                raise TrelloError(400, "that label is already on the card")
            set_labels(state, card, label["id"])
        data = {
            "card": card_ref(card),
            "label": label_json(label),
            "text": label["name"],
            "value": label["color"],
        }
        ctx.actions.record("addLabelToCard", member_of(request), board, data)
        return list(card["idLabels"])

    @router.delete("/idLabels/{label_id}")
    async def remove_label(card_id: str, label_id: str, request: Request) -> dict[str, None]:
        with state.lock:
            card, board, _ = _context(state, card_id)
            label = state.get("labels", label_id)
            if label["id"] not in card["idLabels"]:
                raise TrelloError(400, "That label is not on the card")
            card["idLabels"].remove(label["id"])
        data = {
            "card": card_ref(card),
            "label": label_json(label),
            "text": label["name"],
            "value": label["color"],
        }
        ctx.actions.record("removeLabelFromCard", member_of(request), board, data)
        return {"_value": None}

    @router.post("/idMembers")
    async def add_member(card_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            card, board, lst = _context(state, card_id)
            added = state.find_member(str(p.get("value") or ""))
            set_members(state, card, added["id"])
        data = {"card": card_ref(card), "list": list_ref(lst), "idMember": added["id"]}
        ctx.actions.record("addMemberToCard", member_of(request), board, data, member=member_json(added))
        return [member_json(state.members[m]) for m in card["idMembers"]]

    @router.delete("/idMembers/{member_id}")
    async def remove_member(card_id: str, member_id: str, request: Request) -> list[dict[str, Any]]:
        with state.lock:
            card, board, lst = _context(state, card_id)
            gone = state.find_member(member_id)
            card["idMembers"] = [m for m in card["idMembers"] if m != gone["id"]]
        data = {"card": card_ref(card), "list": list_ref(lst), "idMember": gone["id"], "deactivated": False}
        ctx.actions.record("removeMemberFromCard", member_of(request), board, data, member=member_json(gone))
        return [member_json(state.members[m]) for m in card["idMembers"]]

    _comment_routes(router, ctx)
    return router


def _comment_routes(router: APIRouter, ctx: Ctx) -> None:
    """Card members, comments and checklists."""
    state = ctx.state

    @router.get("/members")
    async def card_members(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            card = state.get("cards", card_id)
            return [member_json(state.members[m]) for m in card["idMembers"]]

    @router.post("/actions/comments")
    async def comment(card_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        text = str(p.get("text") or "")
        if not text:
            raise TrelloError(400, "invalid value for text")
        with state.lock:
            card, board, lst = _context(state, card_id)
            card["_comments"] += 1
        data = {"text": text, "textData": {"emoji": {}}, "card": card_ref(card), "list": list_ref(lst)}
        return ctx.actions.record("commentCard", member_of(request), board, data)

    @router.get("/checklists")
    async def card_checklists(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            card = state.get("cards", card_id)
            return [c for c in state.checklists.values() if c["idCard"] == card["id"]]
