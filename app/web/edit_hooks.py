"""`POST /webhooks/drive` (Drive push messages) and `POST /webhooks/sheets` (instant-mode edit hints).

Both are hints, not data: a verified one requests runs and answers at once; a forged one answers 401 in
the API's one error shape and changes nothing. Drive sends no body worth reading (the headers say it
all), so only hints have their (bounded) body read.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.core.nesting import exceeds_depth
from app.runtime.drive_channels import DRIVE_WEBHOOK_PATH
from app.runtime.metrics import Metrics
from app.runtime.sheet_hints import SIGNATURE_HEADER
from app.web.deps import DrivePushDep, HintsDep, MetricsDep, SettingsDep
from app.web.errors import error_response
from app.web.webhooks import MAX_BODY, MAX_DEPTH, TooLarge, read_body

__all__ = ["HINTS_PATH", "edit_hooks_router"]

log = logging.getLogger(__name__)

HINTS_PATH = "/webhooks/sheets"
HINT_MAX_BODY = 16 * 1024  # a hint is a few hundred bytes


def _refused(metrics: Metrics, kind: str, code: str, message: str) -> Response:
    metrics.edit_signal(kind, code)
    log.warning("%s refused: %s", kind, message, extra={"status": 401, "code": code})
    return error_response(401, code, message)


async def _hint_body(request: Request, timeout: float) -> bytes | Response:
    """The hint's bytes, or the refusal: too large (413), too slow (408), nested too deep (400)."""
    try:
        body = await read_body(request, min(MAX_BODY, HINT_MAX_BODY), timeout)
    except TooLarge:
        return error_response(413, "payload_too_large", f"hints are limited to {HINT_MAX_BODY} bytes")
    except TimeoutError:
        slow = error_response(408, "request_timeout", f"the body was not sent within {timeout:g} s")
        slow.headers["Connection"] = "close"  # what is left of the body may still be on its way
        return slow
    if exceeds_depth(body, MAX_DEPTH):
        return error_response(400, "bad_json", f"the hint body nests deeper than {MAX_DEPTH} levels")
    return body


def edit_hooks_router() -> APIRouter:
    """The router serving the Drive push address and the hint address."""
    router = APIRouter()

    @router.post(DRIVE_WEBHOOK_PATH)
    async def drive_push(request: Request, push: DrivePushDep, metrics: MetricsDep) -> Response:
        """Accept one Drive push message (the channel's token must match)."""
        headers = {k.lower(): v for k, v in request.headers.items()}
        outcome = await run_in_threadpool(push.accept, headers)
        if outcome in ("unknown_channel", "bad_token"):
            return _refused(metrics, "drive", outcome, "unknown Drive channel or wrong X-Goog-Channel-Token")
        metrics.edit_signal("drive", outcome)
        return Response(status_code=200)

    @router.post(HINTS_PATH)
    async def sheet_hint(
        request: Request, hints: HintsDep, metrics: MetricsDep, settings: SettingsDep
    ) -> Response:
        """Accept one signed edit hint (`?pair=NAME` optional: else the hinted tab names the pair)."""
        body = await _hint_body(request, settings.webhook_read_timeout)
        if isinstance(body, Response):
            return body
        pair = request.query_params.get("pair")
        outcome = await run_in_threadpool(hints.accept, body, request.headers.get(SIGNATURE_HEADER), pair)
        if outcome == "bad_json":
            return error_response(400, "bad_json", "the hint body is not a JSON object")
        if outcome == "stale":
            return _refused(metrics, "hint", outcome, "the hint's editedAt is too far from now (a replay?)")
        if outcome != "accepted":
            return _refused(metrics, "hint", outcome, f"missing or invalid {SIGNATURE_HEADER} signature")
        metrics.edit_signal("hint", "accepted")
        return Response(status_code=200)

    return router
