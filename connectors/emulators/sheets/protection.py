"""Protected ranges enforced: a write by someone who is not an editor of a protected range, and that
changes a cell in it (or the protection itself), is refused whole.

Checked after the write is applied to a copy, by comparing each protected range before and after (ranges
follow inserted, deleted and moved rows), so every kind of write (values.*, batchUpdate requests) is held to
the same rule. `warningOnly` ranges do not block API writes (the discovery document: "every user can edit
data in the protected range, except editing will prompt a warning"); privileged test users write anywhere.
Who may edit: the range's `editors` (users, groups, `domainUsersCanEdit`); Google adds the user who
protects the range (recorded: WorksheetTest.test_add_protected_range_normal).
"""

from __future__ import annotations

from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.errors import permission_denied
from connectors.emulators.sheets.state import Json, Sheet, Spreadsheet

PROTECTED = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove "
    "protection if you need to edit."
)


def can_edit(item: Json, user: Identity, groups: dict[str, set[str]], owner: str) -> bool:
    """Whether `user` is an editor of a protected range (privileged test users always are)."""
    if user.privileged or item.get("warningOnly"):
        return True
    email = user.email.lower()
    editors = item.get("editors") or {}
    if email in {str(u).lower() for u in editors.get("users") or []}:
        return True
    if any(email in groups.get(str(g).lower(), set()) for g in editors.get("groups") or []):
        return True
    same_domain = email.rsplit("@", 1)[-1] == owner.lower().rsplit("@", 1)[-1]
    return bool(editors.get("domainUsersCanEdit")) and same_domain


def check(
    before: Spreadsheet, after: Spreadsheet, user: Identity, groups: dict[str, set[str]], owner: str
) -> None:
    """Raise Google's 403 when the write from `before` to `after` touched a range `user` may not edit."""
    if user.privileged:
        return
    for sheet in before.sheets:
        for item in sheet.protected_ranges:
            if can_edit(item, user, groups, owner):
                continue
            found = _find(after, int(item["protectedRangeId"]))
            if found is None or _settings(found[1]) != _settings(item):
                raise permission_denied(PROTECTED)
            if _cells(sheet, item) != _cells(found[0], found[1]):
                raise permission_denied(PROTECTED)


def present(payload: Json, user: Identity, groups: dict[str, set[str]], owner: str) -> Json:
    """A spreadsheets.get answer as `user` sees it: `requestingUserCanEdit` per range, and `editors` only
    for those who may edit (the discovery document: "only visible to users with edit access")."""
    for sheet in payload.get("sheets") or []:
        for item in sheet.get("protectedRanges") or []:
            editable = can_edit(item, user, groups, owner)
            item["requestingUserCanEdit"] = editable
            if not editable:
                item.pop("editors", None)
    return payload


def _find(book: Spreadsheet, protected_id: int) -> tuple[Sheet, Json] | None:
    for sheet in book.sheets:
        for item in sheet.protected_ranges:
            if int(item["protectedRangeId"]) == protected_id:
                return sheet, item
    return None


def _settings(item: Json) -> tuple[Any, ...]:
    """What only an editor may change: the editors, the warning flag, the description."""
    return (item.get("editors"), bool(item.get("warningOnly")), item.get("description"))


def _bounds(sheet: Sheet, rng: Json) -> a1.Bounds:
    return a1.Bounds(
        int(rng.get("startRowIndex", 0)),
        int(rng.get("startColumnIndex", 0)),
        int(rng.get("endRowIndex", sheet.row_count)),
        int(rng.get("endColumnIndex", sheet.col_count)),
    )


def _cells(sheet: Sheet, item: Json) -> list[list[Json]]:
    """The protected cells' content, unprotected ranges of a protected sheet left out."""
    outer = _bounds(sheet, item.get("range") or {})
    holes = [_bounds(sheet, r) for r in item.get("unprotectedRanges") or []]
    return [
        [
            {} if any(_inside(r, c, h) for h in holes) else sheet.cell(r, c)
            for c in range(outer.start_col, min(outer.end_col, sheet.col_count))
        ]
        for r in range(outer.start_row, min(outer.end_row, sheet.row_count))
    ]


def _inside(row: int, col: int, b: a1.Bounds) -> bool:
    return b.start_row <= row < b.end_row and b.start_col <= col < b.end_col
