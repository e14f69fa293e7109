"""The Trello emulator: a FastAPI app speaking Trello's REST API from in-memory state."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from connectors.emulators.common import Faults, RequestLog
from connectors.emulators.control import Limits, install_common
from connectors.emulators.trello.actions import ActionLog
from connectors.emulators.trello.http import RATE_LIMITED, Ctx, RateLimiter, install_auth, rate_headers
from connectors.emulators.trello.routes.actions import action_router
from connectors.emulators.trello.routes.board_create import create_board
from connectors.emulators.trello.routes.board_fields import board_fields_router
from connectors.emulators.trello.routes.boards import board_router
from connectors.emulators.trello.routes.card_extras import card_extras_router
from connectors.emulators.trello.routes.card_links import card_links_router
from connectors.emulators.trello.routes.cards import card_router, create_card
from connectors.emulators.trello.routes.checklists import checklist_router
from connectors.emulators.trello.routes.custom_fields import create_custom_field, custom_field_router
from connectors.emulators.trello.routes.lists import list_router
from connectors.emulators.trello.routes.members import board_member_router
from connectors.emulators.trello.routes.stars import stars_router
from connectors.emulators.trello.routes.webhooks import hook_router
from connectors.emulators.trello.state import DEFAULT_MEMBERS, TrelloState, new_state
from connectors.emulators.trello.view import view_router
from connectors.emulators.trello.webhooks import Dispatcher

__all__ = ["create_app", "seed_from_dict"]


def _fault_body(status: int) -> Response:
    """Trello's answer for an injected fault: the 429 body with rate headers, or a plain 5xx."""
    if status == 429:
        return JSONResponse(RATE_LIMITED, status_code=429, headers=rate_headers(0, 0))
    return PlainTextResponse("Service Unavailable", status_code=status)


def create_app(
    *,
    api_key: str = "emulator-key",
    app_secret: str = "emulator-secret",  # noqa: S107 - the documented emulator default
    tokens: dict[str, tuple[str, str]] | None = None,
    faults: Faults | None = None,
    webhook_retry_backoff: float = 1.0,
    rate_limits: bool = True,
) -> FastAPI:
    """The emulator app; `tokens` maps each token to its member's (username, fullName).

    app.state.trello is the TrelloState, app.state.ctx the route context (actions, dispatcher),
    app.state.request_log the RequestLog, app.state.rate_limiter the RateLimiter, app.state.faults the Faults.
    """
    state = new_state(tokens or DEFAULT_MEMBERS)
    actions = ActionLog(state)
    dispatcher = Dispatcher(state, app_secret, webhook_retry_backoff)
    actions.listeners.append(dispatcher.on_action)
    ctx = Ctx(state=state, actions=actions, dispatcher=dispatcher, api_key=api_key, app_secret=app_secret)
    app = FastAPI(title="Trello emulator", docs_url=None, redoc_url=None, openapi_url=None)
    for router in (
        board_router(ctx),
        list_router(ctx),
        card_router(ctx),
        card_links_router(ctx),
        hook_router(ctx),
    ):
        app.include_router(router)
    app.include_router(custom_field_router(ctx))
    app.include_router(board_fields_router(ctx))
    app.include_router(stars_router(ctx))
    app.include_router(card_extras_router(ctx))
    app.include_router(action_router(ctx))
    app.include_router(checklist_router(ctx))
    app.include_router(board_member_router(ctx))
    app.include_router(view_router(state))
    limiter = RateLimiter(enabled=rate_limits)
    install_auth(app, ctx, limiter)
    log = RequestLog()
    faults = faults or Faults()
    limits = Limits(limiter.describe, limiter.update)
    install_common(app, log, faults, _fault_body, limits)  # added last: outermost, logs 401/429 too
    app.state.trello = state
    app.state.ctx = ctx
    app.state.request_log = log
    app.state.rate_limiter = limiter
    app.state.faults = faults
    return app


def seed_from_dict(ctx: Ctx, data: dict[str, Any], token: str = "token-ops") -> dict[str, str]:  # noqa: S107
    """Create boards, lists, labels, custom fields and cards from a dict; returns name -> id.

    Shape: {"boards": [{"name", "lists": [{"name", "cards": [{"name", "due", "labels": [...], "closed"}]}],
    "labels": [{"name", "color"}], "customFields": [{"name", "type", "options"}]}]}.
    """
    member = ctx.state.member_for(token)
    if member is None:
        raise ValueError("unknown token")
    ids: dict[str, str] = {}
    for spec in data.get("boards", []):
        board = create_board(
            ctx, member, {"name": spec["name"], "defaultLists": False, "defaultLabels": False}
        )
        ids[spec["name"]] = board["id"]
        _seed_board(ctx, member, board["id"], spec, ids)
    return ids


def _seed_board(
    ctx: Ctx, member: dict[str, Any], board_id: str, spec: dict[str, Any], ids: dict[str, str]
) -> None:
    """Fill one seeded board."""
    state: TrelloState = ctx.state
    labels: dict[str, str] = {}
    for label in spec.get("labels", []):
        label_id = state.new_id()
        state.labels[label_id] = {
            "id": label_id,
            "idBoard": board_id,
            "name": label["name"],
            "color": label.get("color"),
        }
        labels[label["name"]] = label_id
    for cf in spec.get("customFields", []):
        ids[cf["name"]] = create_custom_field(ctx, {"idModel": board_id, **cf})["id"]
    for pos, lst in enumerate(spec.get("lists", []), start=1):
        list_id = state.new_id()
        state.lists[list_id] = {
            "id": list_id,
            "name": lst["name"],
            "closed": False,
            "pos": 16384.0 * pos,
            "idBoard": board_id,
        }
        ids[lst["name"]] = list_id
        for place, card in enumerate(lst.get("cards", []), start=1):
            fields = {"pos": 16384.0 * place} | {
                k: v for k, v in card.items() if k not in ("labels", "closed")
            }
            fields["idLabels"] = [labels[name] for name in card.get("labels", [])]
            ids[card["name"]] = create_card(ctx, member, {**fields, "idList": list_id})["id"]
            state.cards[ids[card["name"]]]["closed"] = bool(card.get("closed"))
