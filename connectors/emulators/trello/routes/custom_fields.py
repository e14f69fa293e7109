"""Custom-field definitions and their list options.

Recorded (ruby-trello cassettes): `POST /1/customFields/{id}/options` with `value[text]=...` answers the
option `{id, idCustomField, value, color, pos}` (can_success_create_a_custom_field_option.yml); `GET
.../options` lists them as `{_id, value, color, pos}`, `GET .../options/{id}` answers one, `DELETE` answers
`{}` (can_success_delete_a_custom_field_option.yml). Deleting an option or a field "will remove it from all
cards on the board" (trelloR's delete_field_option and delete_field, which call these routes), so a card
whose option was deleted reads without that item.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.http import Ctx, flag, member_of, params
from connectors.emulators.trello.render import field_json
from connectors.emulators.trello.state import TrelloError, not_found

FIELD_TYPES = ("checkbox", "date", "list", "number", "text")


def create_custom_field(ctx: Ctx, p: dict[str, Any], member: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST /1/customFields: a board's field definition (list options get ids and colors) and, when made
    by a member, its createCustomField action (recorded: action_find_with_id_and_get_all_fields.yml)."""
    state = ctx.state
    kind = str(p.get("type") or "")
    if kind not in FIELD_TYPES:
        raise TrelloError(400, "invalid value for type")
    with state.lock:
        board = state.get("boards", str(p.get("idModel") or ""))
        siblings = [x for x in state.custom_fields.values() if x["idModel"] == board["id"]]
        field_id = state.new_id()
        cf = {
            "id": field_id,
            "idModel": board["id"],
            "modelType": "board",
            "fieldGroup": hashlib.sha256(field_id.encode()).hexdigest(),
            "display": {"cardFront": flag(p.get("display_cardFront", True))},
            "name": str(p.get("name") or ""),
            "pos": state.next_pos(siblings, p.get("pos")),
            "type": kind,
            "options": [],
        }
        for option in p.get("options") or []:
            cf["options"].append(
                new_option(ctx, cf, {"value": option} if isinstance(option, str) else option)
            )
        state.custom_fields[field_id] = cf
    if member is not None:
        data = {"customField": {"id": cf["id"], "name": cf["name"]}}
        ctx.actions.record("createCustomField", member, board, data)
    return field_json(cf) | {"limits": {}}


def new_option(ctx: Ctx, cf: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """One list option from `{"value": {"text": ...}}`, `value[text]=...` (form) or a plain text."""
    value = p.get("value")
    text = value.get("text") if isinstance(value, dict) else (value if isinstance(value, str) else None)
    text = text if text is not None else p.get("value[text]")
    if not isinstance(text, str) or not text:
        raise TrelloError(400, "invalid value for value")
    positions = [float(o["pos"]) for o in cf["options"]]
    pos = (
        float(p["pos"]) if p.get("pos") not in (None, "", "bottom") else max(positions, default=0.0) + 16384.0
    )
    color = str(p.get("color") or "none")
    return {
        "id": ctx.state.new_id(),
        "idCustomField": cf["id"],
        "value": {"text": text},
        "color": color,
        "pos": pos,
    }


def custom_field_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/customFields."""
    router = APIRouter(prefix="/1/customFields")
    state = ctx.state

    @router.post("")
    async def post_custom_field(request: Request) -> dict[str, Any]:
        return create_custom_field(ctx, await params(request), member_of(request))

    @router.get("/{field_id}")
    async def get_custom_field(field_id: str) -> dict[str, Any]:
        with state.lock:
            return field_json(state.get("custom_fields", field_id))

    @router.put("/{field_id}")
    async def put_custom_field(field_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            cf = state.get("custom_fields", field_id)
            if "name" in p:
                cf["name"] = str(p["name"])
            if "pos" in p:
                siblings = [
                    x for x in state.custom_fields.values() if x["idModel"] == cf["idModel"] and x is not cf
                ]
                cf["pos"] = state.next_pos(siblings, p["pos"])
            if "display/cardFront" in p or "display_cardFront" in p:
                cf["display"] = {"cardFront": flag(p.get("display/cardFront", p.get("display_cardFront")))}
            return field_json(cf)

    @router.delete("/{field_id}")
    async def delete_custom_field(field_id: str) -> dict[str, Any]:
        with state.lock:
            cf = state.custom_fields.pop(state.get("custom_fields", field_id)["id"])
            for key in [k for k in state.field_items if k[1] == cf["id"]]:
                del state.field_items[key]
        return {}

    @router.get("/{field_id}/options")
    async def get_options(field_id: str) -> list[dict[str, Any]]:
        with state.lock:
            options = state.get("custom_fields", field_id)["options"]
            return [
                {"color": o["color"], "pos": o["pos"], "_id": o["id"], "value": o["value"]} for o in options
            ]

    @router.post("/{field_id}/options")
    async def post_option(field_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            cf = state.get("custom_fields", field_id)
            if cf["type"] != "list":
                raise TrelloError(400, "invalid value for type")
            option = new_option(ctx, cf, p)
            cf["options"].append(option)
            cf["options"].sort(key=lambda o: o["pos"])
            return dict(option)

    @router.get("/{field_id}/options/{option_id}")
    async def get_option(field_id: str, option_id: str) -> dict[str, Any]:
        with state.lock:
            return dict(_option(state.get("custom_fields", field_id), option_id))

    @router.delete("/{field_id}/options/{option_id}")
    async def delete_option(field_id: str, option_id: str) -> dict[str, Any]:
        with state.lock:
            cf = state.get("custom_fields", field_id)
            cf["options"].remove(_option(cf, option_id))
            for key, item in list(state.field_items.items()):
                if key[1] == cf["id"] and item.get("idValue") == option_id:
                    del state.field_items[key]
        return {}

    return router


def _option(cf: dict[str, Any], option_id: str) -> dict[str, Any]:
    found: dict[str, Any] | None = next((o for o in cf["options"] if o["id"] == option_id), None)
    if found is None:
        raise not_found()
    return found
