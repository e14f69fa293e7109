"""`HEAD`/`POST /webhooks/trello`: bound the body, verify the signature, parse, hand over, answer at once.

A webhook is a hint, not data: nothing here calls Trello or Google. What happens to a verified body
(dedupe, change log, run requests) is `app.runtime.intake.WebhookIntake`.
"""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.config.settings import Settings
from app.runtime.metrics import Metrics
from app.runtime.registration import WEBHOOK_PATH, callback_url
from app.web.deps import IntakeDep, MetricsDep, SettingsDep
from app.web.errors import error_response
from app.web.signature import verify

__all__ = ["MAX_BODY", "TooLarge", "read_body", "webhook_router"]

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "X-Trello-Webhook"


class TooLarge(Exception):
    """The body exceeds the limit."""


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than `limit` bytes whatever Content-Length claims."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
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


def _signed(settings: Settings, body: bytes, signature: str | None) -> bool:
    """True when `signature` is Trello's HMAC of `body` and our callback URL under the app secret."""
    secret, public = settings.trello_app_secret, settings.public_url
    if secret is None or public is None:
        return False
    return verify(secret.get_secret_value(), body, callback_url(public), signature)


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
        try:
            body = await read_body(request, max_body)
        except TooLarge:
            return _reject(
                metrics, 413, "payload_too_large", f"webhook bodies are limited to {max_body} bytes"
            )
        if not _signed(settings, body, request.headers.get(SIGNATURE_HEADER)):
            return _reject(metrics, 401, "bad_signature", f"missing or invalid {SIGNATURE_HEADER} signature")
        try:
            payload = json.loads(body)
        except ValueError:
            return _reject(metrics, 400, "bad_json", "the webhook body is not JSON")
        try:
            outcome = await run_in_threadpool(intake.accept, payload)
        except Exception:
            # Answer 500 so Trello retries later: the action was not recorded.
            log.exception("webhook could not be recorded")
            metrics.webhook("error")
            return error_response(500, "internal", "the webhook could not be recorded; retry later")
        metrics.webhook(outcome)
        return Response(status_code=200)

    return router
