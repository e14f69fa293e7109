"""One Sheets API call under the state lock: who may make it, protected ranges, and what it changed.

A spreadsheet not shared with the caller answers 403 PERMISSION_DENIED (recorded:
ClientTest.test_access_private_spreadsheet); an unknown one 404. After a write that changed something, the
file gets a new version and revision (with the user who made it) and the change is announced to Drive's
push channels and the edit hint (files.Change).
"""

from __future__ import annotations

from connectors.emulators.sheets import a1, protection
from connectors.emulators.sheets.auth import Identity
from connectors.emulators.sheets.errors import permission_denied
from connectors.emulators.sheets.files import Change
from connectors.emulators.sheets.routes import Call, dispatch, is_write
from connectors.emulators.sheets.sharing import at_least, role_of
from connectors.emulators.sheets.state import Json, Sheet, SheetsState, Spreadsheet, has_value

TESTER = Identity("tester@emulator.invalid", "tester", "in-process")  # in-process calls may do everything


def run(state: SheetsState, call: Call) -> Json:
    """Answer one call atomically; a refused write leaves the spreadsheet as it was."""
    user = call.user or TESTER
    with state.lock:
        spreadsheet_id = call.spreadsheet_id
        if call.method == "POST" and call.rest == ":batchUpdate" and spreadsheet_id in state.spreadsheets:
            for hook in list(state.before_batch):
                hook(spreadsheet_id)
        before = state.spreadsheets.get(spreadsheet_id) if spreadsheet_id else None
        if before is not None:
            require(state, spreadsheet_id, user, write=is_write(call))
        payload = dispatch(state, call)
        after = state.spreadsheets.get(spreadsheet_id) if spreadsheet_id else None
        if before is None or after is None:
            return payload
        meta = state.drive.meta(spreadsheet_id)
        if after is before:
            return protection.present(payload, user, state.drive.groups, meta.owner)
        try:
            protection.check(before, after, user, state.drive.groups, meta.owner)
        except BaseException:
            state.spreadsheets[spreadsheet_id] = before
            raise
        change = describe(spreadsheet_id, user, before, after)
        if change is not None:
            meta.touch(user, revision=True)
            state.drive.notify(change)
        return payload


def require(state: SheetsState, spreadsheet_id: str, user: Identity, *, write: bool) -> None:
    """Google's 403 unless `user` may read (reader, commenter) or write (writer, owner) the spreadsheet."""
    role = role_of(state.drive.meta(spreadsheet_id), user, state.drive.groups)
    if not at_least(role, "writer" if write else "reader"):
        raise permission_denied()


def describe(file_id: str, user: Identity, before: Spreadsheet, after: Spreadsheet) -> Change | None:
    """What a write changed (None: nothing): content and/or properties, and the edited value ranges."""
    changed = set()
    if before.properties != after.properties:
        changed.add("properties")
    if before.sheets != after.sheets or before.named_ranges != after.named_ranges:
        changed.add("content")
    if not changed:
        return None
    if user.kind != "user":  # only people's edits are hinted (hints.py): spare big sheets the scan
        return Change(file_id, user, frozenset(changed))
    edits = tuple(e for sheet in after.sheets if (e := _edited(before.sheet_by_id(sheet.sheet_id), sheet)))
    return Change(file_id, user, frozenset(changed), edits=edits)


def _edited(old: Sheet | None, new: Sheet) -> tuple[int, str, str] | None:
    """The smallest range holding every cell whose value differs (sheetId, title, A1), if any."""
    rows = max(new.row_count, old.row_count if old else 0)
    found: list[tuple[int, int]] = []
    for r in range(rows):
        new_row = new.rows[r] if r < new.row_count else []
        old_row = old.rows[r] if old is not None and r < old.row_count else []
        if new_row is old_row:
            continue  # a row the write never reached is the one it had before (cow.py)
        for c in range(max(len(new_row), len(old_row))):
            was = old_row[c] if c < len(old_row) else {}
            now = new_row[c] if c < len(new_row) else {}
            if was.get("userEnteredValue") != now.get("userEnteredValue") and (
                has_value(was) or has_value(now)
            ):
                found.append((r, c))
    if not found:
        return None
    bounds = a1.Bounds(
        min(r for r, _ in found),
        min(c for _, c in found),
        max(r for r, _ in found) + 1,
        max(c for _, c in found) + 1,
    )
    return new.sheet_id, new.title, a1.format_bounds(new.title, bounds)
