"""Webhook routes of the Trello emulator: create (with the HEAD check), list, get, update, delete."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from connectors.emulators.trello.http import Ctx, flag, params
from connectors.emulators.trello.state import TrelloError, not_found
from connectors.emulators.trello.webhooks import check_callback, model_json, public_webhook

DUPLICATE = "A webhook with that callback, model, and token already exists"


def hook_router(ctx: Ctx) -> APIRouter:
    """Routes under /1/webhooks and /1/tokens/{token}/webhooks."""
    router = APIRouter(prefix="/1")
    state = ctx.state

    async def create(request: Request, token: str) -> dict[str, Any]:
        p = await params(request)
        url, model_id = str(p.get("callbackURL") or ""), str(p.get("idModel") or "")
        if not url.startswith(("http://", "https://")):
            raise TrelloError(400, "invalid value for callbackURL")
        with state.lock:
            if model_json(state, model_id) is None:
                raise TrelloError(400, "invalid value for idModel")
            if any(
                h["callbackURL"] == url and h["idModel"] == model_id and h["_token"] == token
                for h in state.webhooks.values()
            ):
                raise TrelloError(400, DUPLICATE)
        await asyncio.to_thread(check_callback, url)
        hook: dict[str, Any] = {
            "id": state.new_id(),
            "description": str(p.get("description") or ""),
            "idModel": model_id,
            "callbackURL": url,
            "active": flag(p.get("active", True)),
            "consecutiveFailures": 0,
            "firstConsecutiveFailDate": None,
            "_token": token,
        }
        with state.lock:
            state.webhooks[hook["id"]] = hook
        return public_webhook(hook)

    def owned(hook_id: str, token: str | None = None) -> dict[str, Any]:
        hook = state.webhooks.get(hook_id)
        if hook is None or (token is not None and hook["_token"] != token):
            raise not_found()
        return hook

    @router.post("/webhooks")
    async def post_webhook(request: Request) -> dict[str, Any]:
        return await create(request, request.state.token)

    @router.post("/tokens/{token}/webhooks")
    async def post_token_webhook(token: str, request: Request) -> dict[str, Any]:
        return await create(request, _same_token(request, token))

    @router.get("/tokens/{token}/webhooks")
    async def list_webhooks(token: str, request: Request) -> list[dict[str, Any]]:
        token = _same_token(request, token)
        with state.lock:
            return [public_webhook(h) for h in state.webhooks.values() if h["_token"] == token]

    @router.get("/webhooks/{hook_id}")
    @router.get("/tokens/{token}/webhooks/{hook_id}")
    async def get_webhook(hook_id: str, request: Request) -> dict[str, Any]:
        return public_webhook(owned(hook_id, request.state.token))

    @router.put("/webhooks/{hook_id}")
    async def put_webhook(hook_id: str, request: Request) -> dict[str, Any]:
        p = await params(request)
        with state.lock:
            hook = owned(hook_id, request.state.token)
            if "description" in p:
                hook["description"] = str(p["description"])
            if "callbackURL" in p:
                hook["callbackURL"] = str(p["callbackURL"])
            if "active" in p:
                hook["active"] = flag(p["active"])
            return public_webhook(hook)

    @router.delete("/webhooks/{hook_id}")
    @router.delete("/tokens/{token}/webhooks/{hook_id}")
    async def delete_webhook(hook_id: str, request: Request) -> dict[str, Any]:
        with state.lock:
            state.webhooks.pop(owned(hook_id, request.state.token)["id"])
        return {"_value": None}

    return router


def _same_token(request: Request, token: str) -> str:
    """The path's token must be the caller's own."""
    if token != request.state.token:
        raise TrelloError(401, "invalid token")
    return token
