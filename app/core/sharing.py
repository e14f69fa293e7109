"""The sharing audit, pure: the permissions the YAML wants vs those Drive lists → what to grant, what to
take back, and the "trust no one" events (issue 11 §4).

Drive roles, weakest first: reader < commenter < writer < fileOrganizer < organizer < owner
(https://developers.google.com/drive/api/guides/ref-roles). Principals are compared as Drive names them
(a user, group or domain); Drive does not say who is in a group, so a user granted alone is judged alone.
The owner and the service accounts are never taken back nor reported, except an owner that changed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "EventKind",
    "Grant",
    "Grantee",
    "Permission",
    "Removal",
    "SharingPlan",
    "TrustEvent",
    "plan_sharing",
]

ORDER = ("reader", "commenter", "writer", "fileOrganizer", "organizer", "owner")
Grantee = tuple[str, str]  # (user | group | domain, e-mail or domain), as Drive names a grantee
EventKind = Literal["unexpected_writer", "anyone_link", "domain_discoverable", "owner_changed"]


def rank(role: str) -> int:
    """A role's strength (unknown roles count as the strongest: they are judged, never trusted)."""
    return ORDER.index(role) if role in ORDER else len(ORDER)


@dataclass(frozen=True)
class Permission:
    """One permission Drive listed: `address` is the e-mail (user, group) or domain, lowercase."""

    id: str
    type: str
    role: str
    address: str = ""
    discoverable: bool = False

    def who(self) -> str:
        """The grantee in people's words: 'anyone with the link', 'domain example.org', 'user a@b.org'."""
        if self.type == "anyone":
            return "anyone who finds it" if self.discoverable else "anyone with the link"
        return f"{self.type} {self.address}"

    def to_json(self) -> dict[str, Any]:
        """The permission as a held plan or the status page keeps it."""
        return {"id": self.id, "type": self.type, "role": self.role, "address": self.address,
                "discoverable": self.discoverable}  # fmt: skip


@dataclass(frozen=True)
class Grant:
    """A permission to create (missing) or to raise (`permission_id` set: below what the YAML grants)."""

    grantee: Grantee
    role: str
    permission_id: str | None = None


@dataclass(frozen=True)
class Removal:
    """Access the YAML does not grant: delete the permission, or lower it to `to`."""

    permission: Permission
    to: str | None = None  # None: delete

    def describe(self) -> str:
        """'remove anyone with the link (reader)' / 'lower user a@b.org from writer to reader'."""
        p = self.permission
        if self.to is None:
            return f"remove {p.who()} ({p.role})"
        return f"lower {p.who()} from {p.role} to {self.to}"

    def to_json(self) -> dict[str, Any]:
        """The removal as a held plan keeps it."""
        return {**self.permission.to_json(), "to": self.to, "what": self.describe()}


@dataclass(frozen=True)
class TrustEvent:
    """Something nobody asked for in the spreadsheet's sharing; `key` stays the same while it lasts."""

    kind: EventKind
    key: str
    message: str
    permission_id: str | None = None  # the permission it is about (None: the owner changed)

    def to_json(self, since: str) -> dict[str, Any]:
        """The event as the store and /status keep it, `since` its first audit (ISO time)."""
        return {"kind": self.kind, "key": self.key, "message": self.message, "since": since,
                "permission_id": self.permission_id}  # fmt: skip


@dataclass(frozen=True)
class SharingPlan:
    """What one audit found: grants need no approval; removals wait for one (under `enforce`)."""

    owner: str | None
    grants: list[Grant] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    events: list[TrustEvent] = field(default_factory=list)


def _grantee(p: Permission) -> Grantee | None:
    return (p.type, p.address) if p.type in ("user", "group", "domain") and p.address else None


def _events(p: Permission, wanted_role: str | None) -> list[TrustEvent]:
    """The events one non-owner permission raises."""
    out: list[TrustEvent] = []
    if p.type == "anyone":
        message = f"{p.who()} may open the spreadsheet as {p.role}"
        out.append(TrustEvent("anyone_link", f"anyone:{p.id}:{p.role}", message, p.id))
    if p.type == "domain" and p.discoverable:
        message = f"{p.who()} may find the spreadsheet by search ({p.role}); boardsheet grants by link only"
        out.append(TrustEvent("domain_discoverable", f"discoverable:{p.id}:{p.role}", message, p.id))
    wanted_rank = -1 if wanted_role is None else rank(wanted_role)
    if rank(p.role) >= rank("writer") and rank(p.role) > wanted_rank:
        why = "is in no role" if wanted_role is None else f"is granted only {wanted_role}"
        message = f"{p.who()} has {p.role} access but {why}"
        out.append(TrustEvent("unexpected_writer", f"writer:{p.id}:{p.role}", message, p.id))
    return out


def plan_sharing(
    wanted: Mapping[Grantee, str],
    actual: Collection[Permission],
    *,
    service_accounts: Collection[str],
    last_owner: str | None,
) -> SharingPlan:
    """Compare; `last_owner` is the owner the previous audit saw (None on the first: nothing to compare)."""
    keep = {address.lower() for address in service_accounts}
    owners = [p for p in actual if p.role == "owner"]
    owner = owners[0].address if owners else None
    events: list[TrustEvent] = []
    if last_owner is not None and owner is not None and owner != last_owner:
        message = f"the owner changed from {last_owner} to {owner}"
        events.append(TrustEvent("owner_changed", f"owner:{owner}", message))
    present: dict[Grantee, Permission] = {}
    removals: list[Removal] = []
    for p in actual:
        principal = _grantee(p)
        if p.role == "owner" or (p.type in ("user", "group") and p.address in keep):
            if principal is not None:
                present[principal] = p
            continue
        want = wanted.get(principal) if principal is not None else None
        if principal is not None and want is not None:
            present[principal] = p
        events += _events(p, want)
        if want is None:
            removals.append(Removal(p))
        elif rank(p.role) > rank(want):
            removals.append(Removal(p, to=want))
        elif p.type == "domain" and p.discoverable:
            removals.append(Removal(p))  # granted again, by link only, at the audit after
    grants = []
    for principal, role in wanted.items():
        found = present.get(principal)
        if found is None:
            grants.append(Grant(principal, role))
        elif rank(found.role) < rank(role):
            grants.append(Grant(principal, role, found.id))
    return SharingPlan(owner, grants, removals, events)
