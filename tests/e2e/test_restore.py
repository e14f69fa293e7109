"""`boardsheet restore` through both emulators: a wrecked tab comes back cell for cell, Trello untouched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config.models import parse_config
from app.errors import NoSnapshotError
from app.runtime.restore import Restore, Restorer
from tests.support.world import World, config_text, world


def _as_user(w: World, email: str, requests: list[dict[str, Any]]) -> None:
    """Another Google user's edit (shared as a writer first), straight through the API."""
    shared = httpx.post(
        f"{w.sheets_url}/drive/v3/files/{w.spreadsheet_id}/permissions",
        headers={"Authorization": "Bearer test"},
        json={"type": "user", "role": "writer", "emailAddress": email},
        params={"sendNotificationEmail": "false"},
    )
    assert shared.status_code == 200, shared.text
    response = httpx.post(
        f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}:batchUpdate",
        headers={"Authorization": f"Bearer user:{email}"},
        json={"requests": requests},
    )
    assert response.status_code == 200, response.text


def _write(sheet_id: int, row: int, column: int, texts: list[str]) -> dict[str, Any]:
    """updateCells writing `texts` down one column from (row, column)."""
    rows = [{"values": [{"userEnteredValue": {"stringValue": text}}]} for text in texts]
    start = {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column}
    return {"updateCells": {"start": start, "rows": rows, "fields": "userEnteredValue"}}


def _sheet_id(w: World) -> int:
    return int(w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id)


def _with_notes(w: World) -> list[list[str]]:
    """Sync, add a free Notes column, sync again so a snapshot holds it; the tab's values."""
    w.sync()
    width = len(w.values()[0])
    rows = len(w.values())
    notes = ["Notes"] + [f"note {index}" for index in range(1, rows)]
    w.batch_update([_write(_sheet_id(w), 0, width, notes)])
    w.sync()
    return w.values()


def _accept(_restore: Restore) -> bool:
    return True


def test_a_wrecked_tab_is_restored_cell_by_cell_in_one_batch_update_without_trello(tmp_path: Path) -> None:
    with world(tmp_path, cards=8) as w:
        # Unprotected: with `protect: lock` (the default) Google refuses ann's row deletion outright.
        w.config = parse_config(
            config_text(w.board_id, w.spreadsheet_id).replace(
                "tab: Calendar}", "tab: Calendar, protect: off}"
            ),
            env={},
        )
        good = _with_notes(w)
        at = datetime.now(UTC)
        sheet_id, notes = _sheet_id(w), len(good[0]) - 1
        span = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 2, "endIndex": 5}
        _as_user(w, "ann@example.com", [{"deleteDimension": {"range": span}}])
        _as_user(w, "ann@example.com", [_write(sheet_id, 1, notes, ["oops", "gone"])])
        assert w.values() != good
        w.clear_logs()
        result, written = Restorer(w.config, w.sheets, w.store).restore("calendar", at, _accept)
        assert written and result.plan.edits
        assert w.calls() == {"trello": 0, "sheets_read": 1, "sheets_write": 1}
        assert w.values() == good  # every cell, owned and free columns, rows in their order
        w.clear_logs()
        assert w.sync().outcome == "noop"  # the restored tab equals the board: the next run agrees


def test_restoring_an_unchanged_tab_writes_nothing_and_declining_writes_nothing(tmp_path: Path) -> None:
    with world(tmp_path, cards=4) as w:
        good = _with_notes(w)
        w.clear_logs()
        result, written = Restorer(w.config, w.sheets, w.store).restore(
            "calendar", datetime.now(UTC), _accept
        )
        assert (written, result.plan.requests) == (False, ())
        _as_user(w, "bob@example.com", [_write(_sheet_id(w), 1, len(good[0]) - 1, ["changed"])])
        w.clear_logs()
        _, written = Restorer(w.config, w.sheets, w.store).restore(
            "calendar", datetime.now(UTC), lambda _r: False
        )
        assert not written and w.calls()["sheets_write"] == 0
        assert w.values()[1][-1] == "changed"


def test_an_unchanged_tab_adds_no_snapshot_and_a_changed_one_does(tmp_path: Path) -> None:
    with world(tmp_path, cards=4) as w:
        _with_notes(w)
        count = w.store.snapshot_count("calendar")
        w.sync()
        w.sync()
        assert w.store.snapshot_count("calendar") == count
        w.batch_update([_write(_sheet_id(w), 1, len(w.values()[0]) - 1, ["new note"])])
        w.sync()
        assert w.store.snapshot_count("calendar") == count + 1


def test_no_snapshot_that_old_is_refused(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        w.sync()
        with pytest.raises(NoSnapshotError, match="all it keeps are newer"):
            Restorer(w.config, w.sheets, w.store).restore(
                "calendar", datetime(2000, 1, 1, tzinfo=UTC), _accept
            )


def test_restore_waits_for_nobody_a_held_lease_makes_it_pair_busy(tmp_path: Path) -> None:
    from app.errors import PairBusy
    from app.runtime.lease import pair_lease

    with world(tmp_path, cards=2) as w:
        w.sync()
        w.clear_logs()
        with pair_lease(w.store, "calendar"), pytest.raises(PairBusy):
            Restorer(w.config, w.sheets, w.store).restore("calendar", datetime.now(UTC), _accept)
        assert +w.calls() == {}  # nothing read, nothing written (+ drops zero counts)
