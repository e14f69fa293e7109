"""The Google Sheets API v4 emulator, with Drive v3 on the same state and port: create_app() builds it.

app.state.sheets is the SheetsState, app.state.request_log the RequestLog, app.state.quota the Quota,
app.state.faults the Faults, app.state.pusher the Drive push deliveries, app.state.hints the edit hints,
app.state.race the stakeholder edits armed for the next batchUpdate (race.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from connectors.emulators.common import Faults, RequestLog, json_error
from connectors.emulators.control import Limits, install_common
from connectors.emulators.sheets import edits
from connectors.emulators.sheets.auth import Identity, Quota, grant_token, identify
from connectors.emulators.sheets.discovery import discovery_router
from connectors.emulators.sheets.drive.channels import Pusher
from connectors.emulators.sheets.drive.routes import drive_router
from connectors.emulators.sheets.errors import ApiError, bad_request, loads_body, no_such_path_page
from connectors.emulators.sheets.hints import EditHints
from connectors.emulators.sheets.race import ArmedEdits, race_router
from connectors.emulators.sheets.routes import PREFIX, Call, is_write, split
from connectors.emulators.sheets.settings import settings_router
from connectors.emulators.sheets.state import Json, SheetsState
from connectors.emulators.sheets.view import render_index, render_view

_FAULTS = {
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
    429: ("Quota exceeded for quota metric 'Read requests' (injected fault).", "RESOURCE_EXHAUSTED"),
}
INVALID = "Request contains an invalid argument."


def fault_body(status: int) -> Response:
    """An injected fault with Google's error body."""
    message, code = _FAULTS.get(status, ("Internal error encountered.", "INTERNAL"))
    return json_error(status, {"error": {"code": status, "message": message, "status": code}})


def error_response(exc: ApiError) -> JSONResponse:
    """Google's error body for an ApiError."""
    return JSONResponse(status_code=exc.code, content=exc.body())


async def _call_from(request: Request, user: Identity) -> Call:
    """Build a Call; a POST with `x-http-method-override: GET` carries its query in a form body."""
    raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    spreadsheet_id, rest = split(raw_path.split("?", 1)[0])
    params = parse_qs(request.url.query, keep_blank_values=True)
    method = request.method
    raw = await request.body()
    body: object = None
    if method == "POST" and request.headers.get("x-http-method-override", "").upper() == "GET":
        method = "GET"
        for key, values in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif raw.strip():
        try:
            body = loads_body(raw)
        except ValueError as exc:
            raise bad_request("Invalid JSON payload received. Unexpected token.") from exc
    return Call(method, spreadsheet_id, rest, params, body, user)


def create_app(
    *,
    faults: Faults | None = None,
    quota_per_minute: int | None = 60,
    seed: int | None = None,
    push_delay: float = 180.0,
    edit_hint_url: str | None = None,
    edit_hint_secret: str | None = None,
) -> FastAPI:
    """The emulator app; quota_per_minute=None turns the per-user quota off.

    `push_delay`: seconds over which Drive coalesces a spreadsheet's changes into one push notification
    (Google: about 3 minutes; tests and the demo set it short). `edit_hint_url`: where to post a signed
    "sheet edited" hint after writes by Google users (`Bearer user:EMAIL`), signed with `edit_hint_secret`.
    """
    app = FastAPI(title="Google Sheets API v4 emulator", docs_url=None, redoc_url=None, openapi_url=None)
    state = SheetsState(seed)
    log = RequestLog()
    quota = Quota(quota_per_minute)
    faults = faults or Faults()
    pusher = Pusher(state, push_delay)
    hints = EditHints(edit_hint_url, edit_hint_secret)
    state.drive.listeners += [pusher.on_change, hints.on_change]
    app.state.sheets, app.state.request_log, app.state.quota = state, log, quota
    app.state.faults, app.state.pusher, app.state.hints = faults, pusher, hints
    app.include_router(drive_router(state))
    app.include_router(discovery_router())
    app.include_router(settings_router(state, pusher, hints))
    app.state.race = armed = ArmedEdits()
    state.before_batch.append(lambda spreadsheet_id: armed.fire(state, spreadsheet_id))
    app.include_router(race_router(state, armed))
    install_common(app, log, faults, fault_body, _limits(quota))

    @app.exception_handler(HTTPException)
    async def no_such_path(request: Request, exc: HTTPException) -> Response:
        # No route (404) or not this method (405): Google's HTML page, never FastAPI's {"detail": ...}.
        if exc.status_code in (404, 405):
            return HTMLResponse(no_such_path_page(request.url.path), status_code=404)
        return error_response(ApiError(exc.status_code, str(exc.detail), ""))

    async def token(request: Request) -> JSONResponse:
        status, payload = grant_token(await request.body())
        return JSONResponse(status_code=status, content=payload)

    # Where the view sends Trello links (the Trello emulator, in a demo); None keeps them as they are.
    app.state.trello_link_base = None

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        with state.lock:
            return HTMLResponse(render_index(list(state.spreadsheets.values())))

    app.add_api_route("/token", token, methods=["POST"])
    app.add_api_route("/oauth2/v4/token", token, methods=["POST"])

    @app.get("/view/{spreadsheet_id}", response_class=HTMLResponse)
    def view(spreadsheet_id: str) -> HTMLResponse:
        with state.lock:
            book = state.spreadsheets.get(spreadsheet_id)
            if book is None:
                return HTMLResponse("<!doctype html><p>No such spreadsheet.</p>", status_code=404)
            return HTMLResponse(render_view(book, app.state.trello_link_base))

    @app.api_route(PREFIX, methods=["GET", "POST", "PUT"])
    @app.api_route(PREFIX + "{rest:path}", methods=["GET", "POST", "PUT"])
    async def api(request: Request) -> JSONResponse:
        try:
            user = identify(request.headers.get("authorization", ""))
            call = await _call_from(request, user)
            quota.charge(user.quota_key, "write" if is_write(call) else "read")
            payload: Json = await run_in_threadpool(edits.run, state, call)
        except ApiError as exc:
            return error_response(exc)
        except (KeyError, TypeError, ValueError, IndexError, ArithmeticError):
            # A body that passed the schema but lacks what the call needs: never a Python error's text.
            return error_response(bad_request(INVALID))
        return JSONResponse(payload)

    return app


def _limits(quota: Quota) -> Limits:
    """The Sheets quota as run-time limits: {"quota_per_minute": N or null (off)}."""

    def update(changes: dict[str, Any]) -> None:
        unknown = set(changes) - {"quota_per_minute"}
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        value = changes.get("quota_per_minute", quota.per_minute)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError("quota_per_minute must be a whole number >= 1, or null to switch it off")
        quota.per_minute = value

    return Limits(lambda: {"quota_per_minute": quota.per_minute}, update)
