"""The Sheets emulator's own /_emulator/ endpoints: group members, the push delay, the edit hint target.

PUT /_emulator/groups/{group}   {"members": ["a@x.org", ...]}  who is in a Google group (no API says it)
GET/PUT /_emulator/push         {"delay": seconds, "flush": true}  Drive's coalescing tick; deliver now
GET/PUT /_emulator/hints        {"url": ..., "secret": ...}     where edit hints go (secret never shown)
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from connectors.emulators.common import EMULATOR_PREFIX
from connectors.emulators.sheets.drive.channels import Pusher
from connectors.emulators.sheets.hints import EditHints
from connectors.emulators.sheets.state import SheetsState


async def _object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    return body


def _refused(exc: ValueError) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


def settings_router(state: SheetsState, pusher: Pusher, hints: EditHints) -> APIRouter:
    """Groups, push delay and hint target, changeable while the emulator runs."""
    router = APIRouter(prefix=EMULATOR_PREFIX)

    @router.put("/groups/{group}")
    async def put_group(group: str, request: Request) -> Response:
        try:
            members = (await _object(request)).get("members")
            if not isinstance(members, list) or not all(isinstance(m, str) and "@" in m for m in members):
                raise ValueError("members must be a list of e-mail addresses")
        except ValueError as exc:
            return _refused(exc)
        with state.lock:
            state.drive.set_members(group, members)
            return JSONResponse({"group": group.lower(), "members": sorted(state.drive.members(group))})

    @router.get("/push")
    def get_push() -> dict[str, Any]:
        return {"delay": pusher.delay}

    @router.put("/push")
    async def put_push(request: Request) -> Response:
        try:
            body = await _object(request)
            delay = body.get("delay", pusher.delay)
            if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
                raise ValueError("delay must be a number of seconds >= 0")
        except ValueError as exc:
            return _refused(exc)
        pusher.set_delay(float(delay))
        flushed = pusher.flush() if body.get("flush") is True else 0
        return JSONResponse({"delay": pusher.delay, "flushed": flushed})

    @router.get("/hints")
    def get_hints() -> dict[str, Any]:
        return {"url": hints.url, "signed": bool(hints.secret), "sent": hints.sent, "failed": hints.failed}

    @router.put("/hints")
    async def put_hints(request: Request) -> Response:
        try:
            body = await _object(request)
            url, secret = body.get("url"), body.get("secret", hints.secret)
            if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
                raise ValueError("url must be an http(s) URL, or null to stop the hints")
            if not isinstance(secret, str):
                raise ValueError("secret must be a string")
        except ValueError as exc:
            return _refused(exc)
        hints.url, hints.secret = url, secret
        return JSONResponse(get_hints())

    return router
