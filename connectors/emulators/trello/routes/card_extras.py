"""What else hangs off a card: attachments, stickers and plugin data (empty lists until set).

Recorded shapes (ruby-trello cassettes): an attachment `{id, bytes, date, edgeColor, idMember, isUpload,
mimeType, name, previews, url, pos}` (can_get_attachments.yml), `DELETE .../attachments/{id}` answering
`{"limits": {}}` (can_remove_an_attachment_on_a_card.yml), plugin data `[{id, idPlugin, scope, idModel,
value, access}]` (get_plugin_data_of_card.yml; set only by Power-Ups, so only in-process here). Actions
addAttachmentToCard / deleteAttachmentFromCard as captured by fiatjaf/trello-webhooks.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from connectors.emulators.trello.actions import card_ref
from connectors.emulators.trello.http import Ctx, member_of, params
from connectors.emulators.trello.state import TrelloError, iso, not_found


def attachments_json(card: dict[str, Any]) -> list[dict[str, Any]]:
    """A card's attachments, oldest first."""
    return [dict(a) for a in card.get("_attachments", [])]


async def _upload(request: Request) -> tuple[str, bytes] | None:
    """The file of a multipart attachment upload, if any."""
    if "multipart/form-data" not in request.headers.get("content-type", ""):
        return None
    async with request.form() as form:
        found = form.get("file")
        if not isinstance(found, UploadFile):
            return None
        return found.filename or "file", await found.read()


def _attachment(
    attachment_id: str,
    card: dict[str, Any],
    member_id: str,
    p: dict[str, Any],
    upload: tuple[str, bytes] | None,
) -> dict[str, Any]:
    """A link attachment (`url`) or an uploaded file, as Trello stores it."""
    url = str(p.get("url") or "")
    name = upload[0] if upload else str(p.get("name") or url)
    uploaded = {"fileName": name} if upload else {}  # recorded: can_add_a_file_on_a_card_with_farady.yml
    return uploaded | {
        "id": attachment_id,
        "bytes": len(upload[1]) if upload else None,
        "date": iso(time.time()),
        "edgeColor": None,
        "idMember": member_id,
        "isUpload": upload is not None,
        "mimeType": p.get("mimeType") or None,
        "name": name,
        "previews": [],
        "url": url or f"https://trello.com/1/cards/{card['id']}/attachments/{attachment_id}/download/{name}",
        "pos": 16384.0 * (len(card.get("_attachments", [])) + 1),
    }


def card_extras_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/cards/{id}: attachments, stickers, pluginData; /1/boards/{id}/pluginData."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    @router.get("/cards/{card_id}/attachments")
    async def get_attachments(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return attachments_json(state.get("cards", card_id))

    @router.post("/cards/{card_id}/attachments")
    async def post_attachment(card_id: str, request: Request) -> dict[str, Any]:
        upload = await _upload(request)
        p = await params(request) if upload is None else {}
        url = str(p.get("url") or "")
        if upload is None and not url.startswith(("http://", "https://")):
            raise TrelloError(400, "invalid value for url")
        with state.lock:
            card = state.get("cards", card_id)
            attachment = _attachment(state.new_id(), card, member_of(request)["id"], p, upload)
            card.setdefault("_attachments", []).append(attachment)
            board = state.boards[card["idBoard"]]
        data = {"card": card_ref(card), "attachment": {k: attachment[k] for k in ("id", "name", "url")}}
        ctx.actions.record("addAttachmentToCard", member_of(request), board, data)
        return dict(attachment) | {"limits": {}}

    @router.get("/cards/{card_id}/attachments/{attachment_id}")
    async def get_attachment(card_id: str, attachment_id: str) -> dict[str, Any]:
        with state.lock:
            card = state.get("cards", card_id)
            found = next((a for a in card.get("_attachments", []) if a["id"] == attachment_id), None)
            if found is None:
                raise not_found()
            return dict(found)

    @router.delete("/cards/{card_id}/attachments/{attachment_id}")
    async def delete_attachment(card_id: str, attachment_id: str, request: Request) -> dict[str, Any]:
        with state.lock:
            card = state.get("cards", card_id)
            found = next((a for a in card.get("_attachments", []) if a["id"] == attachment_id), None)
            if found is None:
                raise not_found()
            card["_attachments"].remove(found)
            board = state.boards[card["idBoard"]]
        data = {"card": card_ref(card), "attachment": {"id": found["id"], "name": found["name"]}}
        ctx.actions.record("deleteAttachmentFromCard", member_of(request), board, data)
        return {"limits": {}}

    _sticker_routes(router, ctx)
    return router


def _sticker_routes(router: APIRouter, ctx: Ctx) -> None:
    """Stickers and plugin data."""
    state = ctx.state

    @router.get("/cards/{card_id}/stickers")
    async def get_stickers(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return [dict(s) for s in state.get("cards", card_id).get("_stickers", [])]

    @router.post("/cards/{card_id}/stickers")
    async def post_sticker(card_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        image = str(p.get("image") or "")
        if not image:
            raise TrelloError(400, "invalid value for image")
        with state.lock:
            card = state.get("cards", card_id)
            sticker = {"id": state.new_id(), "top": float(p.get("top", 0)), "left": float(p.get("left", 0))}
            sticker |= {
                "zIndex": int(p.get("zIndex", 1)),
                "rotate": float(p.get("rotate", 0)),
                "image": image,
            }
            sticker |= {"imageUrl": f"https://trello.com/images/stickers/{image}.png", "imageScaled": []}
            card.setdefault("_stickers", []).append(sticker)
        return dict(sticker) | {"limits": {}}

    @router.delete("/cards/{card_id}/stickers/{sticker_id}")
    async def delete_sticker(card_id: str, sticker_id: str) -> dict[str, Any]:
        with state.lock:
            card = state.get("cards", card_id)
            kept = [s for s in card.get("_stickers", []) if s["id"] != sticker_id]
            if len(kept) == len(card.get("_stickers", [])):
                raise not_found()
            card["_stickers"] = kept
        return {"limits": {}}

    @router.get("/cards/{card_id}/pluginData")
    async def get_card_plugin_data(card_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return [dict(d) for d in state.get("cards", card_id).get("_pluginData", [])]

    @router.get("/boards/{board_id}/pluginData")
    async def get_board_plugin_data(board_id: str) -> list[dict[str, Any]]:
        with state.lock:
            return [dict(d) for d in state.get("boards", board_id).get("_pluginData", [])]
