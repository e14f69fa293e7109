"""Drive resources as the API renders them: File, Permission, Revision; `fields` masks and defaults.

Without `fields`, Drive v3 answers a default subset (recorded for files: kind, id, name, mimeType, e.g.
CellTest.test_a1_value); `fields=*` answers everything.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.get import apply_mask, parse_fields
from connectors.emulators.sheets.sharing import capabilities, rfc3339, role_of, user_json
from connectors.emulators.sheets.state import SheetsState

Json = dict[str, Any]
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FILE_DEFAULT = "kind,id,name,mimeType"
LIST_DEFAULT = "kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)"
PERMISSION_DEFAULT = "kind,id,type,emailAddress,domain,role,allowFileDiscovery"
PERMISSIONS_DEFAULT = f"kind,nextPageToken,permissions({PERMISSION_DEFAULT})"
REVISIONS_DEFAULT = "kind,nextPageToken,revisions(kind,id,mimeType,modifiedTime)"


def masked(resource: Json, fields: str | None, default: str) -> Json:
    """A resource under the request's `fields` (or the method's default subset)."""
    tree = parse_fields(fields or default)
    out: Json = apply_mask(resource, tree)
    return out


def _user(email: str, viewer: Identity) -> Json:
    return user_json(email, me=email == viewer.email)


def file_json(state: SheetsState, file_id: str, viewer: Identity) -> Json:
    """The whole File resource of a spreadsheet as `viewer` sees it."""
    book = state.get(file_id)
    meta = state.drive.meta(file_id)
    role = role_of(meta, viewer, state.drive.groups)
    owner = meta.owner
    out: Json = {
        "kind": "drive#file",
        "id": file_id,
        "name": str(book.properties.get("title", "")),
        "mimeType": SPREADSHEET,
        "starred": False,
        "trashed": False,
        "explicitlyTrashed": False,
        "parents": list(meta.parents),
        "spaces": ["drive"],
        "version": str(meta.version),
        "webViewLink": f"https://docs.google.com/spreadsheets/d/{file_id}/edit?usp=drivesdk",
        "createdTime": rfc3339(meta.created),
        "modifiedTime": rfc3339(meta.modified),
        "owners": [_user(owner, viewer)],
        "lastModifyingUser": _user(meta.last_user or owner, viewer),
        "shared": len(meta.permissions) > 1,
        "ownedByMe": owner == viewer.email,
        "capabilities": capabilities(role, viewer.privileged),
        "viewersCanCopyContent": True,
        "copyRequiresWriterPermission": False,
        "writersCanShare": True,
        "permissionIds": [p["id"] for p in meta.permissions],
        "quotaBytesUsed": "0",
    }
    if capabilities(role, viewer.privileged)["canShare"]:
        out["permissions"] = [permission_json(p) for p in meta.permissions]
    return out


def search_view(state: SheetsState, file_id: str, viewer: Identity) -> Json:
    """What a `q` term sees of a file."""
    meta = state.drive.meta(file_id)
    resource = file_json(state, file_id, viewer)
    by_role = {
        role: [p.get("emailAddress", "") for p in meta.permissions if p["role"] == role]
        for role in ("owner", "writer", "reader", "commenter")
    }
    return {
        **resource,
        "owners": [meta.owner],
        "writers": by_role["owner"] + by_role["writer"],
        "readers": by_role["owner"] + by_role["writer"] + by_role["reader"] + by_role["commenter"],
        "sharedWithMe": meta.owner != viewer.email,
    }


def permission_json(permission: Json) -> Json:
    """A Permission resource."""
    return {"kind": "drive#permission", **copy.deepcopy(permission)}


def revision_json(revision: Json, viewer: Identity) -> Json:
    """A Revision resource of a Google Sheets file (no size or md5: not a binary file)."""
    return {
        "kind": "drive#revision",
        "id": revision["id"],
        "mimeType": SPREADSHEET,
        "modifiedTime": rfc3339(revision["time"]),
        "published": False,
        "lastModifyingUser": user_json(revision["user"], me=revision["user"] == viewer.email),
    }
