"""`HEAD`/`POST /webhooks/trello`: verify, dedupe, record the change, request a run, answer at once.

A webhook is a hint, not data: nothing here calls Trello or Google. The router only needs `WebhookDeps`,
which the app factory fills from the settings, the store and the coordinators.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.api_errors import error_response
from app.metrics import Metrics
from app.signature import verify

__all__ = [
    "MAX_BODY",
    "WEBHOOK_PATH",
    "ChangeDict",
    "WebhookDeps",
    "callback_url",
    "change_records",
    "webhook_router",
]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/trello"
MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "X-Trello-Webhook"


class ChangeDict(TypedDict):
    """One change-log entry: who changed what on which card, when (values as text)."""

    pair: str
    action_id: str | None
    action_type: str | None
    at: str | None  # when it happened: Trello's ISO 8601 action date
    who: str | None  # the Trello member: full name, else username
    card_id: str | None
    card_name: str | None
    field: str  # "name", "due", "list", "custom:Channel", "labels", "created", ...
    before: str | None
    after: str | None


MAX_TEXT = 1000
# Where the old values of `data.old` belong, most specific first, and the field prefix people see.
_ENTITIES: tuple[tuple[str, str], ...] = (
    ("checkItem", "check item."),
    ("checklist", "checklist."),
    ("label", "label."),
    ("action", "comment."),
    ("card", ""),
    ("list", "list."),
    ("board", "board."),
)
# Action types without `data.old`: what they change, and where the new or removed value lives.
_EVENTS: dict[str, tuple[str, str | None, str | None]] = {
    "createCard": ("created", None, "list"),
    "copyCard": ("created", None, "list"),
    "deleteCard": ("deleted", None, None),
    "commentCard": ("comment", None, "text"),
    "addLabelToCard": ("labels", None, "label"),
    "removeLabelFromCard": ("labels", "label", None),
    "addMemberToCard": ("members", None, "member"),
    "removeMemberFromCard": ("members", "member", None),
}


def _dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (webhook bodies are untrusted)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A value as change-log text: strings as-is, custom-field values unwrapped, the rest as JSON."""
    if value is None or isinstance(value, str):
        return value if value is None or len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, dict):
        for key in ("name", "text", "number", "date", "checked", "fullName", "color"):
            if value.get(key) not in (None, ""):
                return _text(value[key])
        if "idValue" in value:
            return _text(value["idValue"])
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _who(action: dict[str, Any]) -> str | None:
    """The member who made the change."""
    member = action.get("memberCreator")
    if isinstance(member, dict):
        for key in ("fullName", "username"):
            if member.get(key):
                return str(member[key])
    creator = action.get("idMemberCreator")
    return creator if isinstance(creator, str) else None


def _fields(data: dict[str, Any], type_: str) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every change one action describes."""
    old = _dict(data.get("old"))
    empty: dict[str, Any] = {}
    prefix, target = next(((p, data[k]) for k, p in _ENTITIES if isinstance(data.get(k), dict)), ("", empty))
    found: list[tuple[str, Any, Any]] = []
    if "listBefore" in data or "listAfter" in data:
        found.append(("list", data.get("listBefore"), data.get("listAfter")))
        old.pop("idList", None)
    custom_field = _dict(data.get("customField")).get("name")
    if custom_field:
        item = _dict(data.get("customFieldItem"))
        found.append((f"custom:{custom_field}", old.pop("value", None), item.get("value")))
    found += [(prefix + key, before, target.get(key)) for key, before in old.items()]
    has_card = isinstance(data.get("card"), dict)
    if not found and has_card and type_ in _EVENTS:
        field, before_key, after_key = _EVENTS[type_]
        found.append(
            (field, data.get(before_key) if before_key else None, data.get(after_key) if after_key else None)
        )
    if not found and has_card:
        found.append((type_ or "changed", None, None))
    return found


def change_records(pair: str, action: dict[str, Any]) -> list[ChangeDict]:
    """The change-log entries of one Trello action for `pair` (none when it touches no card or field)."""
    data = _dict(action.get("data"))
    card = _dict(data.get("card"))
    type_ = action.get("type") if isinstance(action.get("type"), str) else None
    return [
        ChangeDict(
            pair=pair,
            action_id=_text(action.get("id")),
            action_type=type_,
            at=_text(action.get("date")),
            who=_who(action),
            card_id=_text(card.get("id")),
            card_name=_text(card.get("name")),
            field=field,
            before=_text(before),
            after=_text(after),
        )
        for field, before, after in _fields(data, type_ or "")
    ]


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
    finally:
        # The action is marked seen, so Trello's retry would be dropped: request the runs whatever happens.
        for pair in pairs:
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
