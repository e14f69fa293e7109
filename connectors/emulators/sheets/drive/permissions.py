"""Drive v3 permissions.list, get, create, update and delete on a spreadsheet.

Roles reader < commenter < writer < owner, types user, group, domain, anyone
(https://developers.google.com/drive/api/guides/ref-roles). Writers and owners share; only the owner
gives ownership away, and only with `transferOwnership=true` (the old owner becomes a writer);
`sendNotificationEmail` "defaults to true for users and groups, and is not allowed for other requests. It
must not be disabled for ownership transfers" (permissions.create reference); the e-mails Drive would send
are kept in `state.drive.outbox`. Every change bumps the file's version and tells its watchers
(X-Goog-Changed: permissions).
"""

from __future__ import annotations

from typing import Any

from connectors.emulators.sheets.drive.call import DriveCall
from connectors.emulators.sheets.drive.files import _page, role_on
from connectors.emulators.sheets.drive.views import (
    PERMISSION_DEFAULT,
    PERMISSIONS_DEFAULT,
    masked,
    permission_json,
)
from connectors.emulators.sheets.errors import drive_error
from connectors.emulators.sheets.files import Change, insufficient
from connectors.emulators.sheets.schema import DRIVE, validate
from connectors.emulators.sheets.sharing import (
    ROLES,
    TYPES,
    FileMeta,
    at_least,
    owner_permission,
    permission_id,
)
from connectors.emulators.sheets.state import SheetsState

Json = dict[str, Any]


def _sharer(state: SheetsState, call: DriveCall, file_id: str) -> FileMeta:
    """The file's metadata when the caller may share it (writers and owners)."""
    if not at_least(role_on(state, file_id, call), "writer"):
        raise insufficient()
    return state.drive.meta(file_id)


def _find(meta: FileMeta, permission_id_: str) -> Json:
    found = next((p for p in meta.permissions if p["id"] == permission_id_), None)
    if found is None:
        raise drive_error(404, f"Permission not found: {permission_id_}.", "notFound", "permissionId")
    return found


def _changed(state: SheetsState, call: DriveCall, file_id: str, meta: FileMeta) -> None:
    meta.touch(call.user, revision=False)
    state.drive.notify(Change(file_id, call.user, frozenset({"permissions"})))


def list_permissions(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """permissions.list: "When not set for files that are not in a shared drive, the entire list will be
    returned" (pageSize, https://developers.google.com/drive/api/reference/rest/v3/permissions/list)."""
    meta = _sharer(state, call, file_id)
    listed = [permission_json(p) for p in meta.permissions]
    page, token = _page(listed, call, default=max(len(listed), 1))
    out: Json = {"kind": "drive#permissionList", "permissions": page}
    if token is not None:
        out["nextPageToken"] = token
    return masked(out, call.param("fields"), PERMISSIONS_DEFAULT)


def get_permission(state: SheetsState, call: DriveCall, file_id: str, permission_id_: str) -> Json:
    """permissions.get."""
    meta = _sharer(state, call, file_id)
    return masked(permission_json(_find(meta, permission_id_)), call.param("fields"), PERMISSION_DEFAULT)


def _new_permission(body: Json) -> Json:
    """A checked Permission from a create body (id as Drive derives it)."""
    role, kind = body.get("role"), body.get("type")
    if role not in ROLES:
        raise drive_error(400, "The provided role is not supported for this file.", "invalidSharingRequest")
    if kind not in TYPES:
        raise drive_error(400, "Invalid Value", "invalid", "permission.type")
    email, domain = str(body.get("emailAddress") or ""), str(body.get("domain") or "")
    if kind in ("user", "group") and "@" not in email:
        raise drive_error(400, "The permission emailAddress field is required.", "required", "emailAddress")
    if kind == "domain" and not domain:
        raise drive_error(400, "The permission domain field is required.", "required", "domain")
    discoverable = bool(body.get("allowFileDiscovery"))
    permission: Json = {"id": permission_id(kind, email or domain, discoverable), "type": kind}
    if kind in ("user", "group"):
        permission |= {"emailAddress": email.lower(), "displayName": email.split("@", 1)[0]}
    if kind == "domain":
        permission |= {"domain": domain.lower(), "displayName": domain.lower()}
    if kind in ("domain", "anyone"):
        permission["allowFileDiscovery"] = discoverable
    return permission | {"role": role, "deleted": False, "pendingOwner": False}


def create_permission(state: SheetsState, call: DriveCall, file_id: str) -> Json:
    """permissions.create (an existing grantee's permission is updated to the new role)."""
    meta = _sharer(state, call, file_id)
    body: Json = validate(call.body or {}, "Permission", api=DRIVE, lenient=True)
    permission = _new_permission(body)
    notify = call.flag("sendNotificationEmail", default=permission["type"] in ("user", "group"))
    if notify and permission["type"] not in ("user", "group"):
        raise drive_error(
            400,
            "sendNotificationEmail is not allowed for domain and anyone permissions.",
            "invalidSharingRequest",
        )
    if permission["role"] == "owner":
        _transfer(meta, call, permission, notify)
    else:
        existing = next((p for p in meta.permissions if p["id"] == permission["id"]), None)
        if existing is not None and existing["role"] == "owner":
            raise drive_error(403, "The owner's role cannot be changed this way.", "forbidden")
        meta.permissions = [p for p in meta.permissions if p["id"] != permission["id"]] + [permission]
    if notify:
        state.drive.outbox.append(
            {
                "to": permission.get("emailAddress"),
                "file": file_id,
                "role": permission["role"],
                "from": call.user.email,
                "message": call.param("emailMessage") or "",
            }
        )
    _changed(state, call, file_id, meta)
    return masked(permission_json(_find(meta, permission["id"])), call.param("fields"), PERMISSION_DEFAULT)


def _transfer(meta: FileMeta, call: DriveCall, permission: Json, notify: bool) -> None:
    """Make a user the owner; the previous owner stays a writer."""
    if not call.flag("transferOwnership"):
        message = "The transferOwnership parameter must be enabled when the permission role is 'owner'."
        raise drive_error(403, message, "forbidden", "transferOwnership")
    if not (call.user.privileged or call.user.email == meta.owner):
        raise insufficient()
    if permission["type"] != "user" or not notify:
        raise drive_error(
            400, "Ownership goes to a user, with a notification e-mail.", "invalidSharingRequest"
        )
    previous = meta.owner
    kept = [p for p in meta.permissions if p["id"] not in (permission["id"], permission_id("user", previous))]
    demoted = owner_permission(previous) | {"role": "writer"}
    meta.permissions = [owner_permission(permission["emailAddress"]), *kept, demoted]
    meta.owner = permission["emailAddress"]


def update_permission(state: SheetsState, call: DriveCall, file_id: str, permission_id_: str) -> Json:
    """permissions.update: a new role (owner only through transferOwnership)."""
    meta = _sharer(state, call, file_id)
    current = _find(meta, permission_id_)
    body: Json = validate(call.body or {}, "Permission", api=DRIVE, lenient=True)
    role = body.get("role", current["role"])
    if role not in ROLES:
        raise drive_error(400, "The provided role is not supported for this file.", "invalidSharingRequest")
    if role == "owner" and current["role"] != "owner":
        _transfer(meta, call, dict(current), notify=True)
    elif current["role"] == "owner" and role != "owner":
        raise drive_error(403, "The owner's role cannot be changed; transfer ownership first.", "forbidden")
    else:
        current["role"] = role
    _changed(state, call, file_id, meta)
    return masked(permission_json(_find(meta, permission_id_)), call.param("fields"), PERMISSION_DEFAULT)


def delete_permission(state: SheetsState, call: DriveCall, file_id: str, permission_id_: str) -> None:
    """permissions.delete (the owner's permission cannot go)."""
    meta = _sharer(state, call, file_id)
    if _find(meta, permission_id_)["role"] == "owner":
        raise drive_error(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
    meta.permissions = [p for p in meta.permissions if p["id"] != permission_id_]
    _changed(state, call, file_id, meta)
