"""Card routes of the Trello emulator: create, read, update (whole and per field), delete."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.actions import card_ref, list_ref, query_actions
from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.moves import record_move, relocate
from connectors.emulators.trello.render import card_items, card_json, member_json, new_card
from connectors.emulators.trello.routes.boards import pick
from connectors.emulators.trello.routes.card_links import set_labels, set_members
from connectors.emulators.trello.state import TrelloError, TrelloState, iso, parse_date

SCALARS = ("name", "desc", "closed", "due", "start", "dueComplete", "dueReminder", "pos", "idList")


def _slug(card: dict[str, Any]) -> str:
    """The url's tail: idShort and the lower-cased name."""
    words = re.sub(r"[^a-z0-9]+", "-", card["name"].lower()).strip("-")
    return f"{card['idShort']}-{words}"


def _convert(state: TrelloState, card: dict[str, Any], key: str, value: Any) -> Any:
    """A parameter value in the stored type of a card field."""
    if key in ("closed", "dueComplete"):
        return flag(value)
    if key in ("due", "start"):
        return parse_date(value)
    if key == "dueReminder":
        return None if value in (None, "", "null") else int(float(value))
    if key == "pos":
        siblings = [c for c in state.cards.values() if c["idList"] == card["idList"] and c is not card]
        return state.next_pos(siblings, value)
    if key == "idList":
        target = state.get("lists", str(value))
        if target["idBoard"] != card["idBoard"]:  # another board's list: that move needs idBoard
            raise TrelloError(400, "invalid value for idList")
        return target["id"]
    return "" if value is None else str(value)


def create_card(ctx: Ctx, member: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """POST /1/cards: the card (with labels and members) and a createCard action."""
    state = ctx.state
    with state.lock:
        lst = state.get("lists", str(p.get("idList") or ""))
        board = state.boards[lst["idBoard"]]
        where = p.get("pos")
        # A numeric pos needs no siblings: seeding 20,000 cards would otherwise scan the board per card.
        siblings = (
            []
            if isinstance(where, int | float)
            else [c for c in state.cards.values() if c["idList"] == lst["id"]]
        )
        fields: dict[str, Any] = {"idList": lst["id"], "pos": state.next_pos(siblings, where)}
        card = new_card(state, board, fields)
        for key in ("name", "desc", "due", "start", "dueComplete", "dueReminder"):
            if key in p:
                card[key] = _convert(state, card, key, p[key])
        card["url"] = f"{card['shortUrl']}/{_slug(card)}"
        card["dateLastActivity"] = iso(time.time())
        state.cards[card["id"]] = card
        set_labels(state, card, p.get("idLabels"))
        set_members(state, card, p.get("idMembers"))
    data = {"card": card_ref(card), "list": list_ref(lst)}
    ctx.actions.record("createCard", member, board, data)
    return card_json(state, card)


def update_card(ctx: Ctx, member: dict[str, Any], card_id: str, p: dict[str, Any]) -> dict[str, Any]:
    """PUT /1/cards/{id}: each changed field leaves one updateCard action with data.old."""
    state = ctx.state
    changes: list[dict[str, Any]] = []
    with state.lock:
        card = state.get("cards", card_id)
        moved = (
            relocate(state, card, p["idBoard"], p.get("idList"), p.get("pos")) if p.get("idBoard") else None
        )
        if moved is not None:
            p = {k: v for k, v in p.items() if k not in ("idList", "pos")}
        board = state.boards[card["idBoard"]]
        for key in SCALARS:
            if key not in p:
                continue
            value = _convert(state, card, key, p[key])
            if value != card[key]:
                changes.append({key: card[key]})
                card[key] = value
        if "idLabels" in p:
            set_labels(state, card, p["idLabels"], replace=True)
        if "idMembers" in p:
            set_members(state, card, p["idMembers"], replace=True)
        card["url"] = f"{card['shortUrl']}/{_slug(card)}"
        card["dateLastActivity"] = iso(time.time())
    if moved is not None:
        record_move(ctx.actions, member, card, moved, (board, state.lists[card["idList"]]))
    for old in changes:
        ctx.actions.card_update(member, board, card, old)
    return card_json(state, card)


def set_field_item(
    ctx: Ctx, member: dict[str, Any], card_id: str, field_id: str, p: dict[str, Any]
) -> dict[str, Any]:
    """PUT /1/cards/{id}/customField/{field}/item: set or clear one item; updateCustomFieldItem."""
    state = ctx.state
    with state.lock:
        card = state.get("cards", card_id)
        cf = state.get("custom_fields", field_id)
        key = (card["id"], cf["id"])
        old_item = state.field_items.get(key)
        value, id_value = _item_value(cf, p)
        item: dict[str, Any] = {
            "id": old_item["id"] if old_item else state.new_id(),
            "value": value,
            "idValue": id_value,
            "idCustomField": cf["id"],
            "idModel": card["id"],
            "modelType": "card",
        }
        if value is None and id_value is None:
            state.field_items.pop(key, None)
        else:
            # a list field's item has no `value` key (recorded: get_custom_field_items_of_card.yml)
            state.field_items[key] = {k: v for k, v in item.items() if v is not None}
        board = state.boards[card["idBoard"]]
    old = {"value": old_item.get("value") if old_item else None}
    if cf["type"] == "list":
        old = {"idValue": old_item.get("idValue") if old_item else None}
    data = {
        "old": old,
        "customField": {"id": cf["id"], "name": cf["name"], "type": cf["type"]},
        "customFieldItem": item,
        "card": {k: card[k] for k in ("id", "name", "idShort", "shortLink")},
    }
    ctx.actions.record("updateCustomFieldItem", member, board, data)
    return state.field_items.get(key, item)


def _item_value(cf: dict[str, Any], p: dict[str, Any]) -> tuple[dict[str, str] | None, str | None]:
    """A custom-field value as Trello stores it: numbers and checkbox values as strings."""
    if cf["type"] == "list":
        id_value = p.get("idValue") or None
        if id_value and id_value not in {o["id"] for o in cf["options"]}:
            raise TrelloError(400, "invalid value for idValue")
        return None, id_value
    value = p.get("value")
    if not value:
        return None, None
    if not isinstance(value, dict) or len(value) != 1:
        raise TrelloError(400, "Invalid custom field item value.")
    ((kind, raw),) = value.items()
    wanted = "checked" if cf["type"] == "checkbox" else cf["type"]
    if kind != wanted:
        raise TrelloError(400, "Invalid custom field item value.")
    if kind == "date":
        return {kind: parse_date(raw) or ""}, None
    if kind == "checked":
        return {kind: "true" if flag(raw) else "false"}, None
    return {kind: str(raw)}, None


def card_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/cards (and py-trello's /1/card alias for custom-field items)."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.post("/cards")
    async def post_card(request: Request) -> dict[str, Any]:
        return create_card(ctx, member_of(request), await params(request))

    @router.get("/cards/{card_id}")
    async def get_card(card_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            card = card_json(
                state,
                state.get("cards", card_id),
                flag(p.get("customFieldItems")),
                flag(p.get("attachments")),
            )
        if flag(p.get("members")):
            card["members"] = [member_json(state.members[m]) for m in card["idMembers"]]
        nested = ("members", "customFieldItems", "attachments")  # nested resources survive a fields mask
        return pick(card, p.get("fields")) | {k: card[k] for k in nested if k in card}

    @router.put("/cards/{card_id}")
    async def put_card(card_id: str, request: Request) -> dict[str, Any]:
        return update_card(ctx, member_of(request), card_id, await params(request))

    @router.delete("/cards/{card_id}")
    async def delete_card(card_id: str, request: Request) -> dict[str, Any]:
        with state.lock:
            card = state.cards.pop(state.get("cards", card_id)["id"])
            for key in [k for k in state.field_items if k[0] == card["id"]]:
                del state.field_items[key]
            board, lst = state.boards[card["idBoard"]], state.lists[card["idList"]]
        data = {"card": {"id": card["id"], "idShort": card["idShort"], "shortLink": card["shortLink"]}}
        ctx.actions.record("deleteCard", member_of(request), board, data | {"list": list_ref(lst)})
        return {"limits": {}}

    @router.get("/cards/{card_id}/customFieldItems")
    async def get_items(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return card_items(state, state.get("cards", card_id)["id"])

    @router.get("/cards/{card_id}/actions")
    async def get_card_actions(card_id: str, request: Request) -> list[dict[str, Any]]:
        p = await params(request)
        with state.lock:
            return query_actions(
                state, {"filter": "commentCard,updateCard:idList"} | p, card=state.get("cards", card_id)["id"]
            )

    for prefix in ("/cards", "/card"):

        @router.put(prefix + "/{card_id}/customField/{field_id}/item")
        async def put_item(card_id: str, field_id: str, request: Request) -> dict[str, Any]:
            return set_field_item(ctx, member_of(request), card_id, field_id, await params(request))

    @router.put("/cards/{card_id}/{field}")
    async def put_card_field(card_id: str, field: str, request: Request) -> dict[str, Any]:
        if field not in SCALARS and field not in ("idLabels", "idMembers", "idBoard"):
            raise TrelloError(404, "Cannot PUT /1/cards/" + card_id + "/" + field)
        p = await params(request)
        # PUT .../idBoard takes the target list along (`idList`), as ruby-trello sends it
        extra = {"idList": p["idList"]} if field == "idBoard" and p.get("idList") else {}
        return update_card(ctx, member_of(request), card_id, {field: p.get("value")} | extra)

    return router
