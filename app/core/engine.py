"""The planner: plan(base, board_rows, sheet, policy) -> Plan; pure and deterministic, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from app.core.gc_pause import collector_paused
from app.core.guards import check_empty_sides, check_mass_delete, index_keys
from app.core.layout_guards import check_header_row, check_key_column
from app.core.merge import merge_row
from app.core.model import Base, BoardRows, Column, Policy, SheetTab, SheetValue
from app.core.plan import (
    AppendRow,
    DeleteRow,
    HeaderFix,
    Plan,
    SheetEvent,
    SortRows,
    TrelloWrite,
    UpdateRow,
)
from app.core.sort import SortSpecs, is_sorted, sort_specs

TRELLO_ID = re.compile(r"[0-9a-f]{24}")  # Trello object ids: 24 hex digits

Columns = list[tuple[str, int]]  # (owned header, column index)


def _used_width(sheet: SheetTab) -> int:
    """Columns in use: headers, data (free columns may have no header) and tagged columns."""
    widest_row = max((len(row) for row in sheet.rows), default=0)
    tagged = [i + 1 for i, tag in enumerate(sheet.column_tags) if tag is not None]
    return max(len(sheet.headers), widest_row, *tagged, 0)


def _by_header(
    sheet: SheetTab, owned: Sequence[Column], index: dict[str, int], fixes: list[HeaderFix]
) -> list[Column]:
    """Claim the columns whose header matches an owned header; return the owned columns not found."""
    tags = sheet.column_tags
    positions: dict[str, list[int]] = {}
    for position, header in enumerate(sheet.headers):
        positions.setdefault(header, []).append(position)
    pending: list[Column] = []
    for column in owned:
        free = [p for p in positions.get(column.header, []) if p not in index.values()]
        # Two columns showing one header: the one tagged with this field is ours.
        tagged = [p for p in free if p < len(tags) and tags[p] == column.field]
        candidates = tagged or free
        if not candidates:
            pending.append(column)
            continue
        found = candidates[0]
        index[column.header] = found
        if found >= len(tags) or tags[found] is None:  # tag untagged columns; never fight another tag
            fixes.append(HeaderFix(found, column.header, column.field, write_header=False, tag=True))
    return pending


def layout(sheet: SheetTab, owned: Sequence[Column]) -> tuple[dict[str, int], list[HeaderFix]]:
    """Find each owned column (by header, else by its tag) and the header repairs needed.

    A renamed owned column is found by its developer-metadata tag and gets its header back; a column
    that vanished is added after every used column, so free columns never shift.
    """
    headers, tags = sheet.headers, sheet.column_tags
    index: dict[str, int] = {}
    fixes: list[HeaderFix] = []
    pending = _by_header(sheet, owned, index, fixes)
    owned_headers = {c.header for c in owned}
    next_free = _used_width(sheet)
    for column in pending:
        claimed = set(index.values())
        renamed = [
            i
            for i, tag in enumerate(tags)
            if tag == column.field
            and i not in claimed
            and (i >= len(headers) or headers[i] not in owned_headers)
        ]
        if renamed:
            position, is_new = renamed[0], False
        else:
            position, is_new, next_free = next_free, True, next_free + 1
        index[column.header] = position
        fixes.append(HeaderFix(position, column.header, column.field, write_header=True, tag=is_new))
    return index, fixes


def _key(row: Sequence[SheetValue], column: int) -> str | None:
    """The text in a row's key cell, or None when there is none."""
    value = row[column] if column < len(row) else None
    return value.strip() or None if isinstance(value, str) else None


def _ours(key: str, board: BoardRows, base: Base | None, anchored: frozenset[str] = frozenset()) -> bool:
    """True when a key names a card we sync; a stakeholder's own row ("n/a", "-") is never touched."""
    if key in board.rows or key in board.excluded or (base is not None and key in base) or key in anchored:
        return True
    # Without a base (a lost state store) a deleted card is known only by the shape of its id.
    return base is None and TRELLO_ID.fullmatch(key) is not None


def _final_sort_values(
    sheet: SheetTab, final_rows: Base, keys: Mapping[int, str], sort_columns: Sequence[tuple[int, str | None]]
) -> list[tuple[SheetValue, ...]]:
    """The sort columns' values of every row as it will be after the plan (deletes gone, appends last)."""
    final: list[tuple[SheetValue, ...]] = []
    for i, row in enumerate(sheet.rows):
        key = keys.get(i)
        wanted = final_rows.get(key) if key is not None else None
        if key is not None and wanted is None:
            continue  # deleted
        final.append(
            tuple(
                wanted[h] if wanted is not None and h is not None else (row[c] if c < len(row) else None)
                for c, h in sort_columns
            )
        )
    present = set(keys.values())
    for key, cells in final_rows.items():
        if key not in present:
            final.append(tuple(cells[h] if h is not None else None for _, h in sort_columns))
    return final


def _sort(
    sheet: SheetTab, final_rows: Base, keys: Mapping[int, str], columns: Columns, specs: SortSpecs
) -> SortRows | None:
    """A SortRows when the rows, once changed (`final_rows`: key -> header -> value), are out of order."""
    header_at = {column: header for header, column in columns}
    final = _final_sort_values(sheet, final_rows, keys, [(c, header_at.get(c)) for c, _ in specs])
    positional = tuple((n, ascending) for n, (_, ascending) in enumerate(specs))
    return None if is_sorted(final, positional) else SortRows(specs, 1 + len(final))


def _spare_rows(sheet: SheetTab, deletes: int, appends: int) -> int:
    """1 when the deletes (with no append to take their place) would leave no row below the frozen ones."""
    frozen = max(sheet.frozen_rows, 1)  # the header row is frozen by the same batch when it is not yet
    return int(deletes > 0 and appends == 0 and sheet.row_count - deletes <= frozen)


def plan(base: Base | None, board: BoardRows, sheet: SheetTab, policy: Policy) -> Plan:
    """Everything one run must write to make the sheet show the board; raises a GuardError instead.

    Owned cells are compared with what the sheet holds now: in one-way columns Trello wins (a
    stakeholder's edit is reverted and flagged `edited` against the base); two-way cells merge base,
    Trello and sheet (`app.core.merge`), giving the plan Trello writes and change-log events. The base
    feeds the guards and is rebuilt from the sheet's key column when the state store lost it
    (`base=None`; then Trello wins everywhere, since nobody can tell who changed what).
    Linear in cards: the collector is paused, its full passes walked the whole heap (app.core.gc_pause).
    """
    with collector_paused():
        return _plan(base, board, sheet, policy)


def _plan(base: Base | None, board: BoardRows, sheet: SheetTab, policy: Policy) -> Plan:
    """plan() with the collector paused."""
    owned = policy.owned_columns()
    check_header_row(sheet, owned)
    index, fixes = layout(sheet, owned)
    check_key_column(base, fixes, policy.key_header)
    key_column = index[policy.key_header]
    keyed = [
        (i, key)
        for i, row in enumerate(sheet.rows)
        if (key := _key(row, key_column)) is not None and _ours(key, board, base, sheet.anchored)
    ]
    check_empty_sides(base, board, len(keyed))
    row_of = index_keys(keyed)
    columns: Columns = [(c.header, index[c.header]) for c in owned]
    updates: list[UpdateRow] = []
    deletes: list[DeleteRow] = []
    writes: list[TrelloWrite] = []
    events: list[SheetEvent] = []
    new_base = {
        key: {header: cell.value for header, cell in cells.items()} for key, cells in board.rows.items()
    }
    merged = [(c, index[c.header]) for c in owned]
    for key, i in row_of.items():
        wanted = board.rows.get(key)
        if wanted is None:
            deletes.append(DeleteRow(i + 1, key, board.excluded.get(key, "deleted")))
            continue
        row = merge_row(
            key, sheet.rows[i], wanted, merged, base.get(key) if base else None, policy, board.vocabulary
        )
        if row.changes:
            updates.append(UpdateRow(i + 1, key, row.changes))
        writes.extend([row.write] if row.write is not None else [])
        events.extend(row.events)
        new_base[key] = row.base
    if base is not None and any(c.two_way for c in owned):
        # A row deleted in the sheet comes back (appended below); its card is never archived.
        events.extend(
            SheetEvent("restored", key, "row") for key in board.rows if key in base and key not in row_of
        )
    appends = [
        AppendRow(key, tuple((column, cells[header]) for header, column in columns))
        for key, cells in board.rows.items()
        if key not in row_of
    ]
    specs = sort_specs(policy.sort_by, owned, index, board.date_headers, policy.key_header)
    result = Plan(
        sheet_id=sheet.sheet_id,
        column_count=sheet.column_count,
        headers=tuple(fixes),
        updates=tuple(updates),
        deletes=tuple(sorted(deletes, key=lambda d: -d.row)),
        appends=tuple(appends),
        sort=_sort(sheet, new_base, dict(keyed), columns, specs),
        format_header=sheet.frozen_rows < 1,
        spare_rows=_spare_rows(sheet, len(deletes), len(appends)),
        base=new_base,
        trello=tuple(writes),
        events=tuple(events),
    )
    check_mass_delete(result, policy, len(keyed))
    return result
