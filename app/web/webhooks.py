"""`HEAD`/`POST /webhooks/trello`: bound the body, verify the signature, parse, hand over, answer at once.

The body is bounded in size (413), in the time a client may take to send it (408: a slow client holding
connections open must not pin them; BOARDSHEET_WEBHOOK_READ_TIMEOUT) and in nesting (400: the JSON parser
recurses once per level, so depth is measured before parsing).

A webhook is a hint, not data: nothing here calls Trello or Google. What happens to a verified body
(dedupe, change log, run requests) is `app.runtime.intake.WebhookIntake`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, Request, Response

from app.config.settings import Settings
from app.core.nesting import exceeds_depth
from app.runtime.intake import WebhookIntake
from app.runtime.metrics import Metrics
from app.runtime.registration import WEBHOOK_PATH, callback_url
from app.web.deps import IntakeDep, MetricsDep, SettingsDep
from app.web.errors import error_response
from app.web.signature import verify

__all__ = ["MAX_BODY", "MAX_DEPTH", "TooLarge", "answer", "read_body", "webhook_router"]

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
# Trello's action bodies nest about six levels (tests/fixtures/trello-webhooks); ten times that is ample.
MAX_DEPTH = 64
SIGNATURE_HEADER = "X-Trello-Webhook"


class TooLarge(Exception):
    """The body exceeds the limit."""


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The raw body, refusing more than `limit` bytes whatever Content-Length claims; TimeoutError when
    the client has not sent all of it within `timeout` seconds."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async with asyncio.timeout(timeout):
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise TooLarge
    return bytes(body)


def _reject(metrics: Metrics, status: int, code: str, message: str) -> Response:
    """Count, log and answer a refused delivery."""
    metrics.webhook(code)
    log.warning("webhook rejected: %s", message, extra={"status": status, "code": code})
    return error_response(status, code, message)


def _parsed(body: bytes) -> Any:
    """The body's JSON; ValueError (in words for the answer) if it is not JSON or nests too deep."""
    if exceeds_depth(body, MAX_DEPTH):
        raise ValueError(f"the webhook body nests deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ValueError("the webhook body is not JSON") from exc


def _signed(settings: Settings, body: bytes, signature: str | None) -> bool:
    """True when `signature` is Trello's HMAC of `body` and our callback URL under the app secret."""
    secret, public = settings.trello_app_secret, settings.public_url
    if secret is None or public is None:
        return False
    return verify(secret.get_secret_value(), body, callback_url(public), signature)


async def answer(
    request: Request, settings: Settings, intake: WebhookIntake, metrics: Metrics, max_body: int = MAX_BODY
) -> Response:
    """Bound, verify, parse and hand over one Trello delivery; the answer (the route's and the fast
    path's: webhook_fast_path.py)."""
    timeout = settings.webhook_read_timeout
    try:
        body = await read_body(request, max_body, timeout)
    except TooLarge:
        return _reject(metrics, 413, "payload_too_large", f"webhook bodies are limited to {max_body} bytes")
    except TimeoutError:
        # Close the connection: what is left of the body may still be on its way.
        slow = _reject(metrics, 408, "request_timeout", f"the body was not sent within {timeout:g} s")
        slow.headers["Connection"] = "close"
        return slow
    if not _signed(settings, body, request.headers.get(SIGNATURE_HEADER)):
        return _reject(metrics, 401, "bad_signature", f"missing or invalid {SIGNATURE_HEADER} signature")
    try:
        payload = _parsed(body)
    except ValueError as exc:
        return _reject(metrics, 400, "bad_json", str(exc))
    try:
        # The intake's writer thread commits it with whatever else arrived (group commit).
        outcome = await asyncio.wrap_future(intake.submit(payload))
    except Exception:
        # Answer 500 so Trello retries later: the action was not recorded.
        log.exception("webhook could not be recorded")
        metrics.webhook("error")
        return error_response(500, "internal", "the webhook could not be recorded; retry later")
    metrics.webhook(outcome)
    return Response(status_code=200)


def webhook_router(max_body: int = MAX_BODY) -> APIRouter:
    """The router serving HEAD and POST at `/webhooks/trello`."""
    router = APIRouter()

    @router.head(WEBHOOK_PATH)
    def check() -> Response:
        """Trello checks the callback answers 200 before creating a webhook."""
        return Response(status_code=200)

    @router.post(WEBHOOK_PATH)
    async def receive(
        request: Request, settings: SettingsDep, intake: IntakeDep, metrics: MetricsDep
    ) -> Response:
        """Accept one Trello delivery."""
        return await answer(request, settings, intake, metrics, max_body)

    return router
