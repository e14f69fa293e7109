"""Who may edit what, as protected ranges (pure): the ranges a pair wants, and the requests that make the
sheet hold exactly those, in the run's one batchUpdate.

Ours are known by their `description` (it starts with "boardsheet"), so people's own protections are
never touched. A range compares by its GridRange, its editors and its warning flag; Google makes the user
who adds a range one of its editors, so the service account is always in ours. With `warningOnly`,
Google supports no editors ("Editors are not supported with warningOnly protection":
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ProtectedRange), so a
warn range compares by its range alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Request = dict[str, Any]
Mode = Literal["lock", "warn", "off"]
OURS = "boardsheet"  # every description of ours starts so (the month grid's too: views/sheet.py)
_RANGE_KEYS = ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")


@dataclass(frozen=True, slots=True)
class Access:
    """Who may edit a protected range: users and groups by e-mail, and the document's domain."""

    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    domain: bool = False  # domainUsersCanEdit: anyone in the spreadsheet's own domain

    def editors(self) -> dict[str, Any]:
        """The Editors object (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#editors)."""
        found: dict[str, Any] = {"users": sorted(self.users), "groups": sorted(self.groups)}
        if self.domain:
            found["domainUsersCanEdit"] = True
        return found

    def beyond(self, other: Access) -> set[str]:
        """Who this access lets edit that `other` does not ("domain" for the domain flag)."""
        extra = {f"user {u}" for u in self.users - other.users} | {
            f"group {g}" for g in self.groups - other.groups
        }
        return extra | ({"domain"} if self.domain and not other.domain else set())


def access_of(editors: Mapping[str, Any] | None) -> Access:
    """An Editors object as read → Access (addresses lowercased)."""
    editors = editors or {}
    return Access(
        frozenset(str(u).lower() for u in editors.get("users") or ()),
        frozenset(str(g).lower() for g in editors.get("groups") or ()),
        bool(editors.get("domainUsersCanEdit")),
    )


@dataclass(frozen=True, slots=True)
class Protection:
    """One protected range we want: description (its identity), GridRange, editors, warning flag."""

    description: str
    range: tuple[tuple[str, int], ...]  # the GridRange's set fields, in _RANGE_KEYS order
    access: Access
    warning: bool

    def body(self) -> dict[str, Any]:
        """The ProtectedRange object to send (no editors for a warning-only range)."""
        body: dict[str, Any] = {"range": dict(self.range), "description": self.description}
        body["warningOnly"] = self.warning
        if not self.warning:
            body["editors"] = self.access.editors()
        return body


def protection_of(body: Mapping[str, Any]) -> Protection:
    """A ProtectedRange object (as `Protection.body` made it, or as read) → Protection: how a run's
    protections are kept in the state store and read back by the next run."""
    warning = bool(body.get("warningOnly"))
    access = Access() if warning else access_of(body.get("editors"))
    return Protection(str(body.get("description") or ""), read_range(body), access, warning)


@dataclass(frozen=True, slots=True)
class ColumnAccess:
    """A column as protections see it: where it is now, and who besides the service edits it.

    `editors` None: only boardsheet writes it (one-way, key); `open`: a two-way column anyone with edit
    access may edit (only its header is protected); else a two-way column for those editors.
    """

    header: str
    index: int
    editors: Access | None = None
    open: bool = False
    roles: tuple[str, ...] = ()


def grid_range(sheet_id: int, **bounds: int | None) -> tuple[tuple[str, int], ...]:
    """A GridRange as comparable pairs; sheetId 0 and unset bounds left out, as Google echoes them."""
    values = {"sheetId": sheet_id, **bounds}
    return tuple(
        (k, int(v)) for k in _RANGE_KEYS if (v := values.get(k)) is not None and (k != "sheetId" or v)
    )


def read_range(item: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    rng = item.get("range") or {}
    return grid_range(int(rng.get("sheetId", 0)), **{k: rng.get(k) for k in _RANGE_KEYS[1:]})


def column_protections(
    sheet_id: int, columns: Sequence[ColumnAccess], mode: Mode, service: Access
) -> list[Protection]:
    """The list tab's protections: owned one-way and key columns whole, two-way columns' headers, and
    the data cells of two-way columns with editors (those plus the service account)."""
    if mode == "off":
        return []
    warning = mode == "warn"
    wanted: list[Protection] = []
    for column in columns:
        whole = grid_range(sheet_id, startColumnIndex=column.index, endColumnIndex=column.index + 1)
        if column.editors is None and not column.open:
            wanted.append(
                Protection(f"{OURS}: {column.header} (written by boardsheet)", whole, service, warning)
            )
            continue
        header = grid_range(
            sheet_id,
            startRowIndex=0,
            endRowIndex=1,
            startColumnIndex=column.index,
            endColumnIndex=column.index + 1,
        )
        wanted.append(Protection(f"{OURS}: {column.header} header", header, service, warning))
        if column.editors is not None:
            data = grid_range(
                sheet_id, startRowIndex=1, startColumnIndex=column.index, endColumnIndex=column.index + 1
            )
            editors = Access(
                service.users | column.editors.users,
                service.groups | column.editors.groups,
                column.editors.domain,
            )
            who = ", ".join(column.roles) or "its editors"
            wanted.append(Protection(f"{OURS}: {column.header} (editable by {who})", data, editors, warning))
    return wanted


def tab_protection(sheet_id: int, description: str, mode: Mode, service: Access) -> list[Protection]:
    """A whole-tab protection (a view tab, the intake tab with its editors in `service`); none when off."""
    if mode == "off":
        return []
    return [Protection(description, grid_range(sheet_id), service, mode == "warn")]


def ours(protected_ranges: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The protected ranges of ours among those read."""
    return [p for p in protected_ranges if str(p.get("description") or "").startswith(OURS)]


def requester(existing: Sequence[Mapping[str, Any]], granted: Iterable[str]) -> frozenset[str]:
    """Who Google made an editor of every lock range of ours whatever we sent (the user who added them,
    which is us even when our e-mail is unknown, and the owner, who can always edit): the users common
    to all of them, less those the YAML grants. Empty until two ranges of ours exist, so one widened
    range is not taken for us."""
    locks = [access_of(item.get("editors")).users for item in ours(existing) if not item.get("warningOnly")]
    if len(locks) < 2:
        return frozenset()
    return frozenset.intersection(*locks) - set(granted)


def _same(want: Protection, item: Mapping[str, Any], implied: frozenset[str]) -> bool:
    if read_range(item) != want.range or bool(item.get("warningOnly")) != want.warning:
        return False
    found, wanted = access_of(item.get("editors")), want.access
    return want.warning or (
        (found.users - implied, found.groups, found.domain)
        == (wanted.users - implied, wanted.groups, wanted.domain)
    )


def protection_requests(
    wanted: Sequence[Protection], existing: Sequence[Mapping[str, Any]], implied: frozenset[str] = frozenset()
) -> list[Request]:
    """Requests that leave exactly `wanted` among ours: update what differs, add what is missing,
    delete ours nobody wants (and duplicates); none when the sheet already holds them.

    `implied` are users Google keeps as editors whatever we send (the requester, the owner): their
    presence or absence is no difference, so a run does not rewrite a range Google completed."""
    by_description: dict[str, list[Mapping[str, Any]]] = {}
    for item in ours(existing):
        by_description.setdefault(str(item["description"]), []).append(item)
    requests: list[Request] = []
    adds: list[Request] = []
    for want in wanted:
        found = by_description.pop(want.description, [])
        if found:
            item, rest = found[0], found[1:]
            by_description[want.description] = rest  # extra copies are deleted below
            if not _same(want, item, implied):
                body = {**want.body(), "protectedRangeId": int(item["protectedRangeId"])}
                fields = "range,description,warningOnly" + ("" if want.warning else ",editors")
                requests.append({"updateProtectedRange": {"protectedRange": body, "fields": fields}})
        else:
            adds.append({"addProtectedRange": {"protectedRange": want.body()}})
    deletes = [
        {"deleteProtectedRange": {"protectedRangeId": int(item["protectedRangeId"])}}
        for items in by_description.values()
        for item in items
    ]
    return deletes + requests + adds
