"""The /drive/v3 routes, on the Sheets emulator's port and state (Drive calls never spend the Sheets quota).

Paths from drive.v3.json (googleapiclient's bundled discovery document): files, files/{fileId},
files/{fileId}/copy|watch|comments|revisions[/{revisionId}]|permissions[/{permissionId}], channels/stop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from connectors.emulators.sheets.auth import identify
from connectors.emulators.sheets.drive import files, permissions
from connectors.emulators.sheets.drive.call import DriveCall
from connectors.emulators.sheets.errors import ApiError, drive_error, loads_body
from connectors.emulators.sheets.state import SheetsState

Handler = Callable[[DriveCall], Any]  # a JSON answer, or None for 204 No Content


def _login_required() -> ApiError:
    error = drive_error(401, "Login Required.", "required", "Authorization", "header")
    error.message = (
        "Request is missing required authentication credential. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project."
    )
    error.status = "UNAUTHENTICATED"
    return error


def drive_router(state: SheetsState) -> APIRouter:
    """Every emulated Drive v3 method (never charged to the Sheets quota)."""
    router = APIRouter(prefix="/drive/v3")

    async def run(request: Request, handler: Handler) -> Response:
        try:
            try:
                user = identify(request.headers.get("authorization", ""))
            except ApiError:
                raise _login_required() from None
            raw = await request.body()
            try:
                body = loads_body(raw) if raw.strip() else None
            except ValueError:
                raise drive_error(400, "Parse Error", "parseError") from None
            params = {k: v for k, v in request.query_params.items()}
            call = DriveCall(request.method, params, body, user)
            answer = await run_in_threadpool(_locked, state, handler, call)
        except ApiError as exc:
            return JSONResponse(exc.body(), status_code=exc.code)
        if answer is None:
            return Response(status_code=204, media_type="text/html")
        return JSONResponse(answer)

    @router.get("/files")
    async def list_files(request: Request) -> Response:
        return await run(request, lambda c: files.list_files(state, c))

    @router.post("/files")
    async def create_file(request: Request) -> Response:
        return await run(request, lambda c: files.create_file(state, c))

    @router.get("/files/{file_id}")
    async def get_file(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: files.get_file(state, c, file_id))

    @router.delete("/files/{file_id}")
    async def delete_file(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: files.delete_file(state, c, file_id))

    @router.post("/files/{file_id}/copy")
    async def copy_file(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: files.copy_file(state, c, file_id))

    @router.get("/files/{file_id}/comments")
    async def list_comments(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: files.list_comments(state, c, file_id))

    @router.get("/files/{file_id}/revisions")
    async def list_revisions(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: files.list_revisions(state, c, file_id))

    @router.get("/files/{file_id}/revisions/{revision_id}")
    async def get_revision(request: Request, file_id: str, revision_id: str) -> Response:
        return await run(request, lambda c: files.get_revision(state, c, file_id, revision_id))

    @router.post("/files/{file_id}/watch")
    async def watch(request: Request, file_id: str) -> Response:
        pusher = request.app.state.pusher
        return await run(request, lambda c: pusher.watch(c, file_id, str(request.base_url)))

    @router.post("/channels/stop")
    async def stop(request: Request) -> Response:
        return await run(request, request.app.state.pusher.stop)

    _permission_routes(router, state, run)
    return router


Runner = Callable[[Request, Handler], Awaitable[Response]]


def _permission_routes(router: APIRouter, state: SheetsState, run: Runner) -> None:
    """permissions.list|create|get|update|delete."""

    @router.get("/files/{file_id}/permissions")
    async def list_permissions(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: permissions.list_permissions(state, c, file_id))

    @router.post("/files/{file_id}/permissions")
    async def create_permission(request: Request, file_id: str) -> Response:
        return await run(request, lambda c: permissions.create_permission(state, c, file_id))

    @router.get("/files/{file_id}/permissions/{permission_id}")
    async def get_permission(request: Request, file_id: str, permission_id: str) -> Response:
        return await run(request, lambda c: permissions.get_permission(state, c, file_id, permission_id))

    @router.patch("/files/{file_id}/permissions/{permission_id}")
    async def update_permission(request: Request, file_id: str, permission_id: str) -> Response:
        return await run(request, lambda c: permissions.update_permission(state, c, file_id, permission_id))

    @router.delete("/files/{file_id}/permissions/{permission_id}")
    async def delete_permission(request: Request, file_id: str, permission_id: str) -> Response:
        return await run(request, lambda c: permissions.delete_permission(state, c, file_id, permission_id))


def _locked(state: SheetsState, handler: Handler, call: DriveCall) -> Any:
    with state.lock:
        return handler(call)
