"""Roles: named sets of people (an e-mail, `group:ADDRESS` or `domain:NAME`) that columns, tabs and sharing
name instead of addresses.

```yaml
roles:
  editor_in_chief: [chief@example.org]
  committee: [group:content-ideas@example.org]
  stakeholders: [domain:example.org]
```
Role names are free. `role_problems()` finds, in the file's plain data, every reference to a role the
file does not define (an error, reported with the file's other problems) and every role nothing refers
to (a warning), each with the YAML path to report it at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from app.config.fields import did_you_mean
from app.config.source import Path_

# Deliberately loose: Google is the judge of an address; this only catches what cannot be one (a missing
# '@', spaces, a ':' left from a misspelt prefix).
_EMAIL = re.compile(r"^[^@\s:,;<>]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_ROLE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PREFIXES = ("group:", "domain:")

PrincipalKind = Literal["user", "group", "domain"]


@dataclass(frozen=True, slots=True)
class Principal:
    """One grantee as Drive and protected ranges name it: a user or group by e-mail, or a domain."""

    kind: PrincipalKind
    address: str  # an e-mail address (user, group) or a domain name, lowercase


def parse_principal(text: str) -> Principal:
    """`chief@x.org` → user, `group:ideas@x.org` → group, `domain:x.org` → domain; ValueError if none fits."""
    value = text.strip().lower()
    if value.startswith("group:"):
        address = value.removeprefix("group:").strip()
        if _EMAIL.match(address):
            return Principal("group", address)
        raise ValueError(f"'{text}' is not a group: give the group's e-mail, e.g. group:ideas@example.org")
    if value.startswith("domain:"):
        domain = value.removeprefix("domain:").strip()
        if _DOMAIN.match(domain):
            return Principal("domain", domain)
        raise ValueError(f"'{text}' is not a domain: give a domain name, e.g. domain:example.org")
    if _EMAIL.match(value):
        return Principal("user", value)
    prefix = value.split(":", 1)[0] + ":" if ":" in value else ""
    hint = did_you_mean(prefix, PREFIXES) if prefix else ""
    raise ValueError(
        f"'{text}' is not an e-mail address, group:ADDRESS or domain:NAME" + (f" — {hint}" if hint else "")
    )


def _check_principal(value: Any) -> str:
    """The principal's normalised text (validated by parse_principal)."""
    if not isinstance(value, str):
        raise ValueError("a role member is text: an e-mail address, group:ADDRESS or domain:NAME")
    principal = parse_principal(value)
    return principal.address if principal.kind == "user" else f"{principal.kind}:{principal.address}"


def _check_role_name(value: str) -> str:
    if not _ROLE.match(value):
        raise ValueError(f"role name '{value}' must start with a letter; letters, digits, '_' or '-' follow")
    return value


PrincipalText = Annotated[
    str,
    BeforeValidator(_check_principal),
    WithJsonSchema(
        {"type": "string", "examples": ["chief@example.org", "group:ideas@example.org", "domain:example.org"]}
    ),
]
RoleName = Annotated[str, AfterValidator(_check_role_name)]
RoleNames = Annotated[list[RoleName], Field(min_length=1)]
Roles = dict[RoleName, Annotated[list[PrincipalText], Field(min_length=1)]]


def members(roles: Mapping[str, Sequence[str]], names: Sequence[str]) -> list[Principal]:
    """The distinct principals of the named roles, in order; unknown names give nothing (config checks)."""
    seen: dict[Principal, None] = {}
    for name in names:
        for text in roles.get(name, ()):
            seen.setdefault(parse_principal(text), None)
    return list(seen)


def _listed(value: Any) -> list[tuple[int, str]]:
    """The text items of a YAML list, with their indexes (anything else is the schema's to report)."""
    return (
        [(i, item) for i, item in enumerate(value) if isinstance(item, str)]
        if isinstance(value, list)
        else []
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def role_references(data: Any) -> Iterator[tuple[str, Path_]]:
    """Every place the file's plain data names a role: (role, YAML path).

    Walks the data as read, not the validated `Config`, so an unknown role is reported alongside every
    other problem of the file rather than once the rest validates.
    """
    top = _mapping(data)
    pairs = top.get("pairs")
    for p, item in enumerate(pairs if isinstance(pairs, list) else []):
        pair = _mapping(item)
        columns = pair.get("columns")
        for c, column in enumerate(columns if isinstance(columns, list) else []):
            for r, role in _listed(_mapping(column).get("editable_by")):
                yield role, ("pairs", p, "columns", c, "editable_by", r)
        share = _mapping(pair.get("sheet")).get("share")
        if share is True:  # every role is shared: each is used
            yield from ((role, ("pairs", p, "sheet", "share")) for role in _mapping(top.get("roles")))
        else:
            yield from ((role, ("pairs", p, "sheet", "share", r)) for r, role in _listed(share))
        for r, role in _listed(_mapping(pair.get("intake")).get("editable_by")):
            yield role, ("pairs", p, "intake", "editable_by", r)


RoleProblem = tuple[Path_, str, str]  # (path, message, hint)


def role_problems(data: Any) -> tuple[list[RoleProblem], list[RoleProblem]]:
    """(errors, warnings) of the file's plain data: references to undefined roles; roles never referred to.

    A `roles:` that is not a mapping defines nothing reliable: its own problem is reported, not each use.
    """
    roles = _mapping(data).get("roles", {})
    if not isinstance(roles, Mapping):
        return [], []
    defined = [str(name) for name in roles]
    errors: list[RoleProblem] = []
    used: set[str] = set()
    for role, path in role_references(data):
        used.add(role)
        if role not in defined:
            hint = (
                did_you_mean(role, defined)
                or f"add it under `roles:` (defined: {', '.join(defined) or 'none'})"
            )
            errors.append((path, f"unknown role '{role}'", hint))
    warnings: list[RoleProblem] = [
        (
            ("roles", name),
            f"the role '{name}' is used nowhere",
            "refer to it (editable_by, sheet.share) or remove it",
        )
        for name in defined
        if name not in used
    ]
    return errors, warnings


def domain_editors(data: Any, roles: Mapping[str, Sequence[str]]) -> Iterator[RoleProblem]:
    """A warning for each `domain:` member of a role that edits protected cells (an `editable_by`).

    A protected range names users and groups; a domain only as `domainUsersCanEdit`, "anyone in the
    document's domain", supported only on documents within a domain
    (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#editors). boardsheet
    sets it only when the sharing audit found the spreadsheet's owner in that very domain.
    """
    editing: dict[str, None] = {}
    for role, path in role_references(data):
        if "editable_by" in path:
            editing.setdefault(role, None)
    for name in editing:
        for index, text in enumerate(roles.get(name, ())):
            principal = parse_principal(text)
            if principal.kind == "domain":
                yield (
                    ("roles", name, index),
                    f"role '{name}' edits protected cells, and '{text}' grants that only as \"anyone in "
                    "the spreadsheet owner's domain\"",
                    f"boardsheet grants it when the spreadsheet's owner is in {principal.address} (known "
                    "from the sharing audit: sheet.share); otherwise that domain edits nothing there: "
                    "name its people or a group",
                )
