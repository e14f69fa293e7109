"""Board, member and action routes of the Trello emulator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import query_actions
from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.paging import (
    board_limits,
    check_response_size,
    labels_page,
    nested_cards,
    page_cards,
)
from connectors.emulators.trello.render import (
    board_json,
    card_json,
    field_json,
    label_json,
    list_json,
    member_json,
)
from connectors.emulators.trello.routes.board_create import create_board
from connectors.emulators.trello.routes.board_fields import update_board
from connectors.emulators.trello.state import TrelloError, TrelloState, not_found

CARD_FILTERS = ("all", "open", "closed", "visible", "none")


def pick(obj: dict[str, Any], fields: Any) -> dict[str, Any]:
    """Trello's `fields` parameter: id plus the named fields (all when absent or 'all')."""
    if not fields or fields == "all":
        return obj
    wanted = set(str(fields).split(","))
    return {k: v for k, v in obj.items() if k == "id" or k in wanted}


def filter_cards(state: TrelloState, board_id: str, which: str) -> list[dict[str, Any]]:
    """A board's cards by Trello's filter (open/visible: not archived)."""
    if which not in CARD_FILTERS:
        raise TrelloError(400, "invalid value for filter")
    cards = state.board_cards(board_id)
    if which == "none":
        return []
    if which in ("open", "visible"):
        return [c for c in cards if not c["closed"]]
    return [c for c in cards if c["closed"]] if which == "closed" else cards


def board_lists(state: TrelloState, board_id: str, which: str = "all") -> list[dict[str, Any]]:
    """A board's lists by position, filtered by open/closed/all."""
    found = sorted((x for x in state.lists.values() if x["idBoard"] == board_id), key=lambda x: x["pos"])
    if which == "open":
        return [x for x in found if not x["closed"]]
    return [x for x in found if x["closed"]] if which == "closed" else found


def board_labels(state: TrelloState, board_id: str) -> list[dict[str, Any]]:
    """A board's labels."""
    return [label_json(x) for x in state.labels.values() if x["idBoard"] == board_id]


def board_fields(state: TrelloState, board_id: str) -> list[dict[str, Any]]:
    """A board's custom-field definitions."""
    return [field_json(x) for x in state.custom_fields.values() if x["idModel"] == board_id]


def board_members(state: TrelloState, board: dict[str, Any], which: str = "all") -> list[dict[str, Any]]:
    """A board's members in the short form, by Trello's filter (admins and owners: the board's admins)."""
    if which not in ("all", "admins", "owners", "normal", "none"):
        raise TrelloError(400, "invalid value for filter")
    types = board.get("_member_types", {})
    kinds = [types.get(m, "admin" if i == 0 else "normal") for i, m in enumerate(board["_members"])]
    wanted = {"all": ("admin", "normal", "observer"), "admins": ("admin",), "owners": ("admin",)}
    keep = wanted.get(which, (which,) if which == "normal" else ())
    return [
        {k: member_json(state.members[m])[k] for k in ("id", "fullName", "username")}
        for m, kind in zip(board["_members"], kinds, strict=True)
        if kind in keep
    ]


def nested_board(state: TrelloState, board: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """GET /1/boards/{id} with the nested resources the parameters ask for."""
    board_id = board["id"]
    fields = p.get("fields")
    wanted = not fields or fields == "all" or "limits" in str(fields).split(",")
    limits = {"limits": board_limits(state.board_cards(board_id))} if wanted else {}
    out = pick(board_json(board) | limits, fields)
    if p.get("cards") and p["cards"] != "none":
        cards = nested_cards(filter_cards(state, board_id, str(p["cards"])))
        items, attachments = flag(p.get("card_customFieldItems")), flag(p.get("card_attachments"))
        rendered = [card_json(state, c, items, attachments) for c in cards]
        out["cards"] = [pick(c, p.get("card_fields")) | _items(c, p) for c in rendered]
    if p.get("lists") and p["lists"] != "none":
        out["lists"] = [list_json(x) for x in board_lists(state, board_id, str(p["lists"]))]
    if p.get("labels") and p["labels"] != "none":
        out["labels"] = labels_page(board_labels(state, board_id), p.get("labels_limit"), "labels_limit")
    if p.get("members") and p["members"] != "none":
        out["members"] = board_members(state, board)
    if flag(p.get("customFields")):
        out["customFields"] = board_fields(state, board_id)
    if p.get("checklists") and p["checklists"] != "none":
        out["checklists"] = [c for c in state.checklists.values() if c["idBoard"] == board_id]
    if p.get("actions") and p["actions"] != "none":
        # Nested actions take only their actions_* params: the board read's `limit`, `before` are not theirs.
        nested = {
            "filter": p["actions"],
            "limit": p.get("actions_limit", 50),
            "since": p.get("actions_since"),
        }
        out["actions"] = query_actions(state, nested, board=board_id, limit_name="actions_limit")
    return out


def _items(card: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """customFieldItems and attachments survive a card_fields mask, as on Trello."""
    return {k: card[k] for k in ("customFieldItems", "attachments") if k in card}


def board_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/boards, /1/members and /1/actions."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.post("/boards")
    async def post_board(request: Request) -> dict[str, Any]:
        return create_board(ctx, member_of(request), await params(request))

    @router.get("/boards/{board_id}")
    async def get_board(board_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            return nested_board(state, state.get("boards", board_id), p)

    @router.put("/boards/{board_id}")
    async def put_board(board_id: str, request: Request) -> dict[str, Any]:
        return update_board(ctx, member_of(request), board_id, await params(request))

    @router.get("/boards/{board_id}/cards")
    async def get_board_cards(board_id: str, request: Request) -> Any:
        p = await params(request)
        return await get_board_cards_filtered(board_id, str(p.get("filter") or "visible"), request)

    @router.get("/boards/{board_id}/cards/{which}")
    async def get_board_cards_filtered(board_id: str, which: str, request: Request) -> Any:
        p = await params(request)
        with state.lock:
            board = state.get("boards", board_id)
            items, attachments = flag(p.get("customFieldItems")), flag(p.get("attachments"))
            if which not in CARD_FILTERS:
                card = state.get("cards", which)
                if card["idBoard"] != board["id"]:
                    raise not_found()
                rendered = card_json(state, card, items, attachments)
                return pick(rendered, p.get("fields")) | _items(rendered, p)
            cards = filter_cards(state, board["id"], which)
            if not any(p.get(k) for k in ("limit", "before", "since")):
                check_response_size(len(cards), p)
            cards = page_cards(cards, p)
            rendered_cards = [card_json(state, c, items, attachments) for c in cards]
            return [pick(c, p.get("fields")) | _items(c, p) for c in rendered_cards]

    @router.get("/boards/{board_id}/lists")
    async def get_board_lists(board_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            board = state.get("boards", board_id)
            return [list_json(x) for x in board_lists(state, board["id"], str(p.get("filter") or "open"))]

    @router.get("/boards/{board_id}/labels")
    async def get_board_labels(board_id: str, request: Request) -> list[dict[str, Any]]:
        limit = (await params(request)).get("limit")
        with state.lock:
            return labels_page(board_labels(state, state.get("boards", board_id)["id"]), limit, "limit")

    @router.get("/boards/{board_id}/members")
    async def get_board_members(board_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            return board_members(state, state.get("boards", board_id), str(p.get("filter") or "all"))

    @router.get("/boards/{board_id}/customFields")
    async def get_board_fields(board_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return board_fields(state, state.get("boards", board_id)["id"])

    @router.get("/boards/{board_id}/checklists")
    async def get_board_checklists(board_id: str) -> list[dict[str, Any]]:
        with state.lock:
            board_id = state.get("boards", board_id)["id"]
            return [c for c in state.checklists.values() if c["idBoard"] == board_id]

    @router.get("/boards/{board_id}/actions")
    async def get_board_actions(board_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            return query_actions(state, p, board=state.get("boards", board_id)["id"])

    _member_routes(router, ctx)
    return router


def _member_routes(router: APIRouter, ctx: Ctx) -> None:
    """Routes under /1/members."""
    state = ctx.state

    @router.get("/members/{ref}")
    async def get_member(ref: str, request: Request) -> dict[str, Any]:
        member = member_of(request) if ref == "me" else state.find_member(ref)
        return pick(member_json(member, full=True), (await params(request)).get("fields"))

    @router.get("/members/{ref}/boards")
    async def get_member_boards(ref: str, request: Request) -> list[dict[str, Any]]:
        member = member_of(request) if ref == "me" else state.find_member(ref)
        p = await params(request)
        with state.lock:
            boards = [state.boards[b] for b in member.get("idBoards", []) if b in state.boards]
            if p.get("filter") == "open":
                boards = [b for b in boards if not b["closed"]]
            return [pick(board_json(b), p.get("fields")) for b in boards]
