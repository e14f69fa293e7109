"""The Google Sheets API v4 emulator: create_app() builds the FastAPI app.

app.state.sheets is the SheetsState, app.state.request_log the RequestLog, app.state.quota the Quota.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from connectors.emulators.common import Faults, RequestLog, install_common, json_error
from connectors.emulators.sheets.auth import Quota, bearer_user, grant_token
from connectors.emulators.sheets.errors import ApiError
from connectors.emulators.sheets.routes import PREFIX, Call, dispatch, is_write, split
from connectors.emulators.sheets.state import Json, SheetsState
from connectors.emulators.sheets.view import render_index, render_view

_FAULTS = {
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
    429: ("Quota exceeded for quota metric 'Read requests' (injected fault).", "RESOURCE_EXHAUSTED"),
}


def fault_body(status: int) -> Response:
    """An injected fault with Google's error body."""
    message, code = _FAULTS.get(status, ("Internal error encountered.", "INTERNAL"))
    return json_error(status, {"error": {"code": status, "message": message, "status": code}})


def _error(exc: ApiError) -> JSONResponse:
    return JSONResponse(status_code=exc.code, content=exc.body())


async def _call_from(request: Request) -> Call:
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
            body = json.loads(raw)
        except ValueError as exc:
            raise ApiError(
                400, "Invalid JSON payload received. Unexpected token.", "INVALID_ARGUMENT"
            ) from exc
    return Call(method, spreadsheet_id, rest, params, body)


def create_app(
    *, faults: Faults | None = None, quota_per_minute: int | None = 60, seed: int | None = None
) -> FastAPI:
    """The emulator app; quota_per_minute=None turns the per-user quota off."""
    app = FastAPI(title="Google Sheets API v4 emulator", docs_url=None, redoc_url=None, openapi_url=None)
    state = SheetsState(seed)
    log = RequestLog()
    quota = Quota(quota_per_minute)
    app.state.sheets = state
    app.state.request_log = log
    app.state.quota = quota
    install_common(app, log, faults or Faults(), fault_body)

    @app.post("/token")
    async def token(request: Request) -> JSONResponse:
        status, payload = grant_token(await request.body())
        return JSONResponse(status_code=status, content=payload)

    # Where the view sends Trello links (the Trello emulator, in a demo); None keeps them as they are.
    app.state.trello_link_base = None

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        with state.lock:
            return HTMLResponse(render_index(list(state.spreadsheets.values())))

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
            user = bearer_user(request)
            call = await _call_from(request)
            quota.charge(user, "write" if is_write(call) else "read")
            payload: Json = await run_in_threadpool(_locked_dispatch, state, call)
        except ApiError as exc:
            return _error(exc)
        except (KeyError, TypeError, ValueError):
            # A body that passed the schema but lacks what the call needs (e.g. no `values` rows).
            return _error(ApiError(400, "Request contains an invalid argument.", "INVALID_ARGUMENT"))
        return JSONResponse(payload)

    return app


def _locked_dispatch(state: SheetsState, call: Call) -> Json:
    with state.lock:
        return dispatch(state, call)
