"""Row anchors: developer metadata on each card's row, and the guard that makes a write fail when rows moved.

A run addresses rows by the positions it read. A stakeholder may sort, insert or delete rows before the
write arrives, so the write carries its own precondition, checked by Google inside the same atomic
batchUpdate:

- every card's row carries developer metadata `boardsheet.row` = its key. Google keeps row metadata on
  its row when rows are inserted or deleted around it, and deletes it with its row ("if developer
  metadata is associated with row 5 and another row is then subsequently inserted above row 5, that
  original metadata will still be associated with the row it was first associated with (what is now
  row 6). If the associated object is deleted its metadata is deleted too." —
  https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata);
- for each anchored row the plan addresses, and the last anchored row, the batch first deletes the
  anchor by id *at the row it was read at* (a lookup with `locationMatchingStrategy: EXACT_LOCATION`),
  then creates it again with the same id at that row. When the row is still there, that is a no-op.
  When it moved, the delete matches nothing, the id is still taken, and the create is refused (ids are
  "spreadsheet-scoped unique", same page); one refused request fails the whole batch and "nothing will
  be applied" (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate).

Appends and the final sort need no guard: appendCells writes after the last row with data and sortRange
orders by content, wherever rows are at write time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.model import SheetTab
from app.core.plan import Plan

ROW_ANCHOR_KEY = "boardsheet.row"
Request = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Anchor:
    """One `boardsheet.row` metadata as read: the grid row it sits on, its id and the key it names."""

    row: int
    metadata_id: int
    key: str


@dataclass(frozen=True)
class RowGuard:
    """The guard's requests: `before` goes first in the batch, `appended` right after appendCells."""

    before: list[Request] = field(default_factory=list)
    appended: list[Request] = field(default_factory=list)
    checks: int = 0  # rows whose position the write checks (0: a refused write cannot be a race)


def anchors_of(row_metadata: Sequence[Sequence[Mapping[str, Any]]]) -> list[Anchor]:
    """Every `boardsheet.row` metadata of the rows' DimensionProperties.developerMetadata (index = row)."""
    found = []
    for row, items in enumerate(row_metadata):
        for item in items:
            if item.get("metadataKey") == ROW_ANCHOR_KEY and "metadataId" in item:
                found.append(Anchor(row, int(item["metadataId"]), str(item.get("metadataValue", ""))))
    return found


def keys_by_row(tab: SheetTab, key_column: int) -> dict[int, str]:
    """Grid row -> the text of its key cell, for rows that have one."""
    keys = {}
    for index, row in enumerate(tab.rows):
        value = row[key_column] if key_column < len(row) else None
        if isinstance(value, str) and value.strip():
            keys[index + 1] = value.strip()
    return keys


def _range(sheet_id: int, row: int) -> dict[str, Any]:
    return {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}


def _create(sheet_id: int, row: int, key: str, metadata_id: int | None = None) -> Request:
    metadata: dict[str, Any] = {
        "metadataKey": ROW_ANCHOR_KEY,
        "metadataValue": key,
        "location": {"dimensionRange": _range(sheet_id, row)},
        "visibility": "DOCUMENT",
    }
    if metadata_id is not None:
        metadata = {"metadataId": metadata_id, **metadata}
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def _delete(lookup: dict[str, Any]) -> Request:
    return {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}


def check_requests(sheet_id: int, anchor: Anchor) -> list[Request]:
    """The pair of requests that fails the batch unless `anchor` is still on the row it was read on."""
    here = {
        "metadataId": anchor.metadata_id,
        "metadataLocation": {"dimensionRange": _range(sheet_id, anchor.row)},
        "locationMatchingStrategy": "EXACT_LOCATION",
    }
    return [_delete(here), _create(sheet_id, anchor.row, anchor.key, anchor.metadata_id)]


def _valid(anchors: Sequence[Anchor], keys: Mapping[int, str]) -> tuple[list[Anchor], list[Anchor]]:
    """(anchors naming their row's key, one per row and key; the stale rest, to delete)."""
    valid: list[Anchor] = []
    seen_rows: set[int] = set()
    seen_keys: set[str] = set()
    stale: list[Anchor] = []
    for anchor in anchors:
        if keys.get(anchor.row) == anchor.key and anchor.row not in seen_rows and anchor.key not in seen_keys:
            valid.append(anchor)
            seen_rows.add(anchor.row)
            seen_keys.add(anchor.key)
        else:
            stale.append(anchor)
    return valid, stale


def _checked(valid: Sequence[Anchor], addressed: set[int]) -> list[Anchor]:
    """The anchors a write checks: each addressed row's, and the last anchored row's.

    The addressed rows' own anchors see them move (a sort, a row inserted or deleted above them); the
    last anchored row sees any row inserted or deleted above it, so a deleted addressed row (its anchor
    gone with it) is seen too, unless every row from it to the last anchored one was deleted.
    """
    if not addressed or not valid:
        return []
    last = max(valid, key=lambda anchor: anchor.row)
    return sorted({a for a in valid if a.row in addressed} | {last}, key=lambda anchor: anchor.row)


def _append_start(tab: SheetTab, plan: Plan) -> int:
    """The grid row appendCells will start at: after the last row with data (render puts the deletes after
    the appends, so they have not happened yet; the anchors then move up with their rows)."""
    header = bool(tab.headers) or any(fix.write_header for fix in plan.headers)
    filled = [header] + [any(v is not None for v in row) for row in tab.rows]
    return max((position + 1 for position, has in enumerate(filled) if has), default=0)


def row_guard(tab: SheetTab, key_column: int, anchors: Sequence[Anchor], plan: Plan) -> RowGuard:
    """The requests that anchor every card's row and make the write fail if an addressed row moved."""
    keys = keys_by_row(tab, key_column)
    valid, stale = _valid(anchors, keys)
    before = [_delete({"metadataId": anchor.metadata_id}) for anchor in stale]
    checked = _checked(valid, {u.row for u in plan.updates} | {d.row for d in plan.deletes})
    for anchor in checked:
        before += check_requests(tab.sheet_id, anchor)
    anchored = {a.row for a in valid}
    deleted = {d.row for d in plan.deletes}
    # Rows of cards read without an anchor get one where they were read; a row that moved meanwhile
    # gets a wrong one, which the next read sees (its key differs) and replaces.
    before += [
        _create(tab.sheet_id, row, key)
        for row, key in sorted(keys.items())
        if key in plan.base and row not in anchored and row not in deleted
    ]
    start = _append_start(tab, plan)
    appended = [_create(tab.sheet_id, start + i, a.key) for i, a in enumerate(plan.appends)]
    return RowGuard(before, appended, len(checked))


def hold_unanchored_deletes(
    plan: Plan, tab: SheetTab, key_column: int, anchors: Sequence[Anchor], base: Mapping[str, Any] | None
) -> Plan:
    """The plan without the deletes of rows read without a valid anchor (their write could not be checked).

    Such rows (written before anchors existed, or re-tagged after a race) get their anchor in this write
    and are deleted by the next run, checked; their cards stay in the base and the rows unsorted until then.
    """
    valid, _ = _valid(anchors, keys_by_row(tab, key_column))
    anchored = {anchor.row for anchor in valid}
    held = [d for d in plan.deletes if d.row not in anchored]
    if not held:
        return plan
    kept_base = dict(plan.base)
    for delete in held:
        kept_base[delete.key] = dict((base or {}).get(delete.key) or {})
    deletes = tuple(d for d in plan.deletes if d.row in anchored)
    # No sort in this write: the new anchors then stay on the rows they name even if a sort did not
    # carry row metadata along (Google does not say), so the next run can check its removals.
    return replace(plan, deletes=deletes, base=kept_base, sort=None)
