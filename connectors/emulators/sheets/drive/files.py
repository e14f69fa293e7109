"""Drive v3 files.get, create, list, copy, delete, comments.list and revisions.list|get for spreadsheets.

A file the caller has no role on is "not found" (404 File not found), as Drive hides it; a role too weak
for the method is 403 insufficientFilePermissions. Only spreadsheets are files here (creating any other
mimeType is refused). Recorded shapes: gspread's cassettes (CellTest.test_a1_value, ClientTest.test_copy,
ClientTest.test_openall).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from connectors.emulators.sheets.drive import query
from connectors.emulators.sheets.drive.call import DriveCall
from connectors.emulators.sheets.drive.views import (
    FILE_DEFAULT,
    LIST_DEFAULT,
    REVISIONS_DEFAULT,
    SPREADSHEET,
    file_json,
    masked,
    revision_json,
    search_view,
)
from connectors.emulators.sheets.errors import drive_error
from connectors.emulators.sheets.files import Change, file_not_found, insufficient
from connectors.emulators.sheets.schema import DRIVE, validate
from connectors.emulators.sheets.sharing import FileMeta, at_least, role_of
from connectors.emulators.sheets.state import SheetsState

Json = dict[str, Any]
_ORDER_KEYS = {
    "name": "name",
    "modifiedTime": "modifiedTime",
    "createdTime": "createdTime",
    "recency": "modifiedTime",
}


def role_on(state: SheetsState, file_id: str, call: DriveCall) -> str:
    """The caller's role on an existing file, or Drive's 404 when it is missing or hidden from them."""
    if file_id not in state.spreadsheets:
        raise file_not_found(file_id)
    role = role_of(state.drive.meta(file_id), call.user, state.drive.groups)
    if role is None:
        raise file_not_found(file_id)
    return role


def file_body(call: DriveCall) -> Json:
    """A File request body (unknown fields dropped, as Drive does)."""
    body: Json = validate(call.body if call.body is not None else {}, "File", api=DRIVE, lenient=True)
    return body


def get_file(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """files.get (metadata; `alt=media` is not emulated)."""
    role_on(state, file_id, call)
    return masked(file_json(state, file_id, call.user), call.param("fields"), FILE_DEFAULT)


def create_file(state: SheetsState, call: DriveCall) -> Json:
    """files.create of a Google Sheets file: an empty spreadsheet owned by the caller."""
    body = file_body(call)
    if body.get("mimeType") != SPREADSHEET:
        raise drive_error(400, f"Only files of mimeType {SPREADSHEET} are emulated.", "badRequest")
    book = state.create({"properties": {"title": str(body.get("name") or "Untitled")}}, owner=call.user.email)
    state.drive.meta(book.spreadsheet_id).parents = list(body.get("parents") or ["root"])
    return masked(file_json(state, book.spreadsheet_id, call.user), call.param("fields"), FILE_DEFAULT)


def copy_file(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """files.copy: a new spreadsheet with the same content, owned by the caller ("Copy of <name>")."""
    role_on(state, file_id, call)
    body = file_body(call)
    source = state.get(file_id)
    book = copy.deepcopy(source)
    book.spreadsheet_id = state.new_id()
    book.properties["title"] = str(body.get("name") or f"Copy of {source.properties.get('title', '')}")
    state.spreadsheets[book.spreadsheet_id] = book
    state.drive.register(book.spreadsheet_id, call.user.email).parents = list(body.get("parents") or ["root"])
    return masked(file_json(state, book.spreadsheet_id, call.user), call.param("fields"), FILE_DEFAULT)


def delete_file(state: SheetsState, call: DriveCall, file_id: str) -> None:
    """files.delete: only the owner may delete for good; watchers hear `remove`."""
    if not at_least(role_on(state, file_id, call), "owner"):
        raise insufficient()
    del state.spreadsheets[file_id]
    state.drive.notify(Change(file_id, call.user, frozenset(), state="remove"))
    state.drive.forget(file_id)


def list_files(state: SheetsState, call: DriveCall) -> Json:
    """files.list: the files the caller can find, filtered by `q`, ordered, paged by `pageSize`."""
    matches = query.parse(call.param("q") or "")
    found = [
        search_view(state, file_id, call.user)
        for file_id in list(state.spreadsheets)
        if _listed(state.drive.meta(file_id), call, state)
    ]
    found = [f for f in found if matches(f)]
    _order(found, call.param("orderBy") or "modifiedTime desc")
    page, token = _page(found, call, default=100)
    out: Json = {"kind": "drive#fileList", "incompleteSearch": False, "files": page}
    if token is not None:
        out["nextPageToken"] = token
    return masked(out, call.param("fields"), LIST_DEFAULT)


def _listed(meta: FileMeta, call: DriveCall, state: SheetsState) -> bool:
    """Whether a search finds the file: any role, but link-only sharing (no allowFileDiscovery) hides it."""
    if call.user.privileged or meta.owner == call.user.email:
        return True
    found = [p for p in meta.permissions if p["type"] in ("user", "group") or p.get("allowFileDiscovery")]
    return role_of(FileMeta(meta.owner, permissions=found), call.user, state.drive.groups) is not None


def _order(files: list[Json], order_by: str) -> None:
    """Sort by Drive's `orderBy` (comma-separated keys, each optionally `desc`)."""
    for part in reversed([p.strip() for p in order_by.split(",") if p.strip()]):
        key, _, direction = part.partition(" ")
        if key not in _ORDER_KEYS or direction.strip() not in ("", "desc", "asc"):
            raise drive_error(400, "Invalid Value", "invalid", "orderBy")
        files.sort(key=functools.partial(_sort_key, _ORDER_KEYS[key]), reverse=direction.strip() == "desc")


def _sort_key(field: str, item: Json) -> str:
    return str(item.get(field, "")).lower()


def _page(items: list[Json], call: DriveCall, default: int) -> tuple[list[Json], str | None]:
    """One page: `pageSize` items from `pageToken` (an offset here); the next token when more remain."""
    try:
        size = int(call.param("pageSize") or default)
        start = int(call.param("pageToken") or 0)
    except ValueError as exc:
        raise drive_error(400, "Invalid Value", "invalid", "pageSize") from exc
    if not 1 <= size <= 1000 or start < 0:
        raise drive_error(400, "Invalid Value", "invalid", "pageSize")
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def list_comments(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """comments.list: the emulator keeps no comments; Drive requires `fields` here."""
    role_on(state, file_id, call)
    if not call.param("fields"):
        raise drive_error(400, "The 'fields' parameter is required for this method.", "required", "fields")
    return masked({"kind": "drive#commentList", "comments": []}, call.param("fields"), "")


def list_revisions(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """revisions.list: one revision per write, with the user who made it (writers and owners only)."""
    if not at_least(role_on(state, file_id, call), "writer"):
        raise insufficient()
    meta = state.drive.meta(file_id)
    items = [revision_json(r, call.user) for r in meta.revisions]
    page, token = _page(items, call, default=200)
    out: Json = {"kind": "drive#revisionList", "revisions": page}
    if token is not None:
        out["nextPageToken"] = token
    return masked(out, call.param("fields"), REVISIONS_DEFAULT)


def get_revision(state: SheetsState, call: DriveCall, file_id: str, revision_id: str) -> Json:
    """revisions.get."""
    if not at_least(role_on(state, file_id, call), "writer"):
        raise insufficient()
    found = next((r for r in state.drive.meta(file_id).revisions if r["id"] == revision_id), None)
    if found is None:
        raise drive_error(404, f"Revision not found: {revision_id}.", "notFound", "revisionId")
    fields = call.param("fields") or "kind,id,mimeType,modifiedTime"
    return masked(revision_json(found, call.user), fields, "")
