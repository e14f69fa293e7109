"""Drive's view of a spreadsheet: owner, permissions, version, times and revisions; who may do what.

A spreadsheet belongs to its creator; everyone else needs a Drive permission (user, group, domain or
anyone; reader < commenter < writer < owner: https://developers.google.com/drive/api/guides/ref-roles).
Privileged test users may do everything. Group members are the emulator's own table (`groups`), set
under /_emulator/groups, since no API says who is in a Google group.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.emulators.sheets.auth import Identity

Json = dict[str, Any]

ROLES = ("reader", "commenter", "writer", "owner")
TYPES = ("user", "group", "domain", "anyone")
SEED_OWNER = "owner@emulator.invalid"  # who owns a spreadsheet made in-process (tests, seeds)


def rfc3339(ts: float) -> str:
    """A Unix time as Drive writes times: RFC 3339 UTC with milliseconds and Z."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def permission_id(kind: str, who: str = "", discoverable: bool = False) -> str:
    """Drive's permission id: a stable number per user, group or domain; `anyoneWithLink` / `anyone`."""
    if kind == "anyone":
        return "anyone" if discoverable else "anyoneWithLink"
    digest = hashlib.sha256(f"{kind}:{who.lower()}".encode()).hexdigest()
    return str(int(digest[:16], 16)).rjust(20, "0")[:20]


def user_json(email: str, me: bool = False, name: str | None = None) -> Json:
    """A Drive `User` resource."""
    return {
        "kind": "drive#user",
        "displayName": name or email.split("@", 1)[0],
        "me": me,
        "permissionId": permission_id("user", email),
        "emailAddress": email,
    }


def owner_permission(email: str) -> Json:
    """The permission that makes `email` the owner."""
    return {
        "id": permission_id("user", email),
        "type": "user",
        "emailAddress": email,
        "role": "owner",
        "displayName": email.split("@", 1)[0],
        "deleted": False,
        "pendingOwner": False,
    }


@dataclass
class FileMeta:
    """Drive metadata of one spreadsheet (its title is the spreadsheet's own)."""

    owner: str
    created: float = field(default_factory=time.time)
    modified: float = 0.0
    version: int = 1
    permissions: list[Json] = field(default_factory=list)
    revisions: list[Json] = field(default_factory=list)
    parents: list[str] = field(default_factory=lambda: ["root"])
    last_user: str | None = None

    def __post_init__(self) -> None:
        self.modified = self.modified or self.created
        if not self.permissions:
            self.permissions.append(owner_permission(self.owner))
        self.last_user = self.last_user or self.owner

    def touch(self, user: Identity, *, revision: bool) -> None:
        """Record a change by `user`: a new version and time, and a revision when content changed."""
        self.version += 1
        self.modified = max(time.time(), self.modified + 0.001)
        self.last_user = user.email
        if revision:
            number = int(self.revisions[-1]["id"]) + 1 if self.revisions else 1
            self.revisions.append({"id": str(number), "time": self.modified, "user": user.email})


def role_of(meta: FileMeta, user: Identity, groups: dict[str, set[str]]) -> str | None:
    """The strongest role any permission gives `user` (owner for privileged test users), or None."""
    if user.privileged:
        return "owner"
    email = user.email.lower()
    best: str | None = None
    for permission in meta.permissions:
        if _grants(permission, email, groups):
            role = str(permission["role"])
            if best is None or ROLES.index(role) > ROLES.index(best):
                best = role
    return best


def _grants(permission: Json, email: str, groups: dict[str, set[str]]) -> bool:
    kind = permission["type"]
    if kind == "anyone":
        return True
    if kind == "domain":
        return email.rsplit("@", 1)[-1] == str(permission.get("domain", "")).lower()
    target = str(permission.get("emailAddress", "")).lower()
    if kind == "group":
        return email in groups.get(target, set())
    return email == target


def at_least(role: str | None, wanted: str) -> bool:
    """Whether `role` is `wanted` or stronger."""
    return role is not None and ROLES.index(role) >= ROLES.index(wanted)


def capabilities(role: str | None, privileged: bool = False) -> Json:
    """Drive's `capabilities` for a role (https://developers.google.com/drive/api/guides/manage-sharing)."""
    writer, owner = at_least(role, "writer"), at_least(role, "owner")
    return {
        "canEdit": writer,
        "canComment": at_least(role, "commenter"),
        "canShare": writer,
        "canCopy": role is not None,
        "canDownload": role is not None,
        "canDelete": owner or privileged,
        "canTrash": owner or privileged,
        "canRename": writer,
        "canModifyContent": writer,
        "canReadRevisions": writer,
        "canChangeCopyRequiresWriterPermission": writer,
        "canAddChildren": False,
        "canListChildren": False,
        "canRemoveChildren": False,
    }
