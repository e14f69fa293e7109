"""`HEAD`/`POST /webhooks/trello`: verify, dedupe, record the change, request a run, answer at once.

A webhook is a hint, not data: nothing here calls Trello or Google. The router only needs `WebhookDeps`,
which the app factory fills from the settings, the store and the coordinators.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.core.changes import ChangeDict, change_records
from app.runtime.metrics import Metrics
from app.web.errors import error_response
from app.web.signature import verify

__all__ = [
    "MAX_BODY",
    "WEBHOOK_PATH",
    "WebhookDeps",
    "callback_url",
    "webhook_router",
]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/trello"
MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "X-Trello-Webhook"


@dataclass(frozen=True)
class WebhookDeps:
    """What the webhook endpoint needs from the rest of the service (all callables are thread-safe)."""

    app_secret: str  # TRELLO_APP_SECRET
    callback_url: str  # exactly the URL Trello calls: callback_url(BOARDSHEET_PUBLIC_URL)
    pairs_for_board: Callable[[str | None, str | None], list[str]]  # (board id, short link) -> pair names
    mark_action_seen: Callable[[str], bool]  # store.mark_action_seen: True the first time only
    record_changes: Callable[[list[ChangeDict]], None]  # append to the change log
    request_run: Callable[[str, str], None]  # (pair, reason) -> coordinator(pair).request(reason)
    metrics: Metrics | None = None
    max_body: int = MAX_BODY
    # store.forget_action: un-mark an action whose changes could not be recorded, so Trello's retry counts
    forget_action: Callable[[str], None] | None = None


def callback_url(public_url: str) -> str:
    """The webhook callback URL for a public base URL."""
    return public_url.rstrip("/") + WEBHOOK_PATH


class _TooLarge(Exception):
    """The body exceeds the limit."""


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than `limit` bytes whatever Content-Length claims."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _action_of(payload: Any) -> dict[str, Any] | None:
    """The action of a webhook body (`{"action": ..., "model": ...}`), or of a bare recorded action."""
    if not isinstance(payload, dict):
        return None
    action = payload.get("action")
    if isinstance(action, dict):
        return action
    return payload if isinstance(payload.get("data"), dict) and "id" in payload else None


def _board_of(payload: dict[str, Any], action: dict[str, Any]) -> tuple[str | None, str | None]:
    """The (id, short link) of the board an action happened on, from the action or the watched model."""
    data = action.get("data")
    board = data.get("board") if isinstance(data, dict) else None
    if not isinstance(board, dict):
        model = payload.get("model")
        board = model if isinstance(model, dict) and "shortLink" in model else {}
    ident, short = board.get("id"), board.get("shortLink")
    return (ident if isinstance(ident, str) else None, short if isinstance(short, str) else None)


def handle_action(deps: WebhookDeps, payload: Any) -> str:
    """Dedupe, record and request runs for one verified body (in a worker thread); returns the outcome."""
    action = _action_of(payload)
    if action is None:
        return "ignored"
    board_id, short_link = _board_of(payload, action)
    pairs = deps.pairs_for_board(board_id, short_link) if board_id or short_link else []
    if not pairs:
        return "unknown_board"
    action_id = action.get("id")
    if isinstance(action_id, str) and action_id and not deps.mark_action_seen(action_id):
        return "duplicate"
    changes = [change for pair in pairs for change in change_records(pair, action)]
    try:
        if changes:
            deps.record_changes(changes)
    except Exception:
        # We answer 500 and Trello retries: let that retry through the dedupe so the change is logged.
        if isinstance(action_id, str) and action_id and deps.forget_action is not None:
            deps.forget_action(action_id)
        raise
    finally:
        for pair in pairs:  # the sheet catches up whatever happened to the change log
            deps.request_run(pair, "webhook")
    return "accepted"


def webhook_router(deps: WebhookDeps) -> APIRouter:
    """The router serving HEAD and POST at `/webhooks/trello`."""
    router = APIRouter()

    def count(outcome: str) -> None:
        if deps.metrics is not None:
            deps.metrics.webhook(outcome)

    def reject(status: int, code: str, message: str) -> Response:
        count(code)
        log.warning("webhook rejected: %s", message, extra={"status": status, "code": code})
        return error_response(status, code, message)

    @router.head(WEBHOOK_PATH)
    def check() -> Response:
        """Trello checks the callback answers 200 before creating a webhook."""
        return Response(status_code=200)

    @router.post(WEBHOOK_PATH)
    async def receive(request: Request) -> Response:
        """Accept one Trello delivery."""
        try:
            body = await _read_body(request, deps.max_body)
        except _TooLarge:
            return reject(413, "payload_too_large", f"webhook bodies are limited to {deps.max_body} bytes")
        if not verify(deps.app_secret, body, deps.callback_url, request.headers.get(SIGNATURE_HEADER)):
            return reject(401, "bad_signature", f"missing or invalid {SIGNATURE_HEADER} signature")
        try:
            payload = json.loads(body)
        except ValueError:
            return reject(400, "bad_json", "the webhook body is not JSON")
        try:
            outcome = await run_in_threadpool(handle_action, deps, payload)
        except Exception:
            # Answer 500 so Trello retries later: the action was not recorded.
            log.exception("webhook could not be recorded")
            count("error")
            return error_response(500, "internal", "the webhook could not be recorded; retry later")
        count(outcome)
        return Response(status_code=200)

    return router
