"""Drive v3 permissions on a file: list (paged), create, update, delete.

https://developers.google.com/drive/api/reference/rest/v3/permissions — roles reader < commenter < writer
< owner; types user, group, domain, anyone (https://developers.google.com/drive/api/guides/ref-roles).
`sendNotificationEmail` is only allowed for users and groups (permissions.create reference). Writes retry
only failures that prove Drive did not apply them (the connector's write policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.errors import BadResponse
from connectors.sheets.transport import SheetsTransport

__all__ = ["LIST_FIELDS", "DrivePermission", "PermissionCalls"]

SERVICE = "drive"
_FIELDS = "id,type,role,emailAddress,domain,allowFileDiscovery,deleted,pendingOwner"
LIST_FIELDS = f"nextPageToken,permissions({_FIELDS})"
PAGE_SIZE = 100  # permissions.list's largest page


@dataclass(frozen=True)
class DrivePermission:
    """One permission as Drive lists it; `address` is the e-mail (user, group) or domain, lowercase."""

    id: str
    type: str  # user | group | domain | anyone
    role: str  # reader | commenter | writer | fileOrganizer | organizer | owner
    address: str = ""
    discoverable: bool = False  # allowFileDiscovery: found by search, not only by its link
    deleted: bool = False  # the user's or group's account was deleted

    @classmethod
    def from_json(cls, data: Any) -> DrivePermission:
        """A Permission resource → DrivePermission; BadResponse when it has no id, type or role."""
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("id", "type", "role")
        ):
            raise BadResponse("Google Drive listed a permission in an unexpected shape", service=SERVICE)
        address = str(data.get("emailAddress") or data.get("domain") or "").lower()
        return cls(
            id=data["id"],
            type=data["type"],
            role=data["role"],
            address=address,
            discoverable=data.get("allowFileDiscovery") is True,
            deleted=data.get("deleted") is True,
        )


class PermissionCalls:
    """The permissions methods of DriveConnector (which provides `_service` and `_transport`)."""

    _service: Any
    _transport: SheetsTransport

    def permissions(self, file_id: str) -> list[DrivePermission]:
        """permissions.list, every page (one request per 100 permissions)."""
        out: list[DrivePermission] = []
        token: str | None = None
        what = f"the permissions of spreadsheet {file_id}"
        while True:
            request = self._service.permissions().list(
                fileId=file_id, fields=LIST_FIELDS, pageSize=PAGE_SIZE, pageToken=token
            )
            answer = self._transport.execute(request, what)
            page = answer.get("permissions") if isinstance(answer, dict) else None
            if not isinstance(page, list):
                raise BadResponse(f"Google Drive answered {what} in an unexpected shape", service=SERVICE)
            out += [DrivePermission.from_json(item) for item in page]
            token = answer.get("nextPageToken") or None
            if token is None:
                return out

    def grant(
        self, file_id: str, kind: str, address: str, role: str, *, notify: bool = False
    ) -> DrivePermission:
        """permissions.create for a user, group (e-mail) or domain; `notify` sends Drive's e-mail (users
        and groups only: Drive refuses it for domains)."""
        body: dict[str, Any] = {"type": kind, "role": role}
        body["domain" if kind == "domain" else "emailAddress"] = address
        options: dict[str, Any] = {}
        if kind in ("user", "group"):
            options["sendNotificationEmail"] = notify
        request = self._service.permissions().create(fileId=file_id, body=body, fields=_FIELDS, **options)
        what = f"sharing spreadsheet {file_id} with {kind} {address} as {role}"
        return DrivePermission.from_json(self._transport.execute(request, what, idempotent=False))

    def change_role(self, file_id: str, permission_id: str, role: str) -> DrivePermission:
        """permissions.update: a new role for an existing permission (never ownership)."""
        request = self._service.permissions().update(
            fileId=file_id, permissionId=permission_id, body={"role": role}, fields=_FIELDS
        )
        what = f"changing permission {permission_id} of spreadsheet {file_id} to {role}"
        return DrivePermission.from_json(self._transport.execute(request, what, idempotent=False))

    def revoke(self, file_id: str, permission_id: str) -> None:
        """permissions.delete; NotFound when the permission is already gone."""
        request = self._service.permissions().delete(fileId=file_id, permissionId=permission_id)
        what = f"removing permission {permission_id} of spreadsheet {file_id}"
        self._transport.execute(request, what, idempotent=False, empty=True)
