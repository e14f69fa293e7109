"""Field failures replayed through the emulators' real APIs (issue 8, section 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import HeaderRowMovedError, KeyColumnMissingError
from tests.support.world import World, world


def _trim_grid(w: World) -> None:
    """A stakeholder removes the empty rows below the data: the grid is the header plus the data rows."""
    snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")
    used = len(snapshot.rows)
    w.batch_update(
        [
            {
                "deleteDimension": {
                    "range": {"sheetId": snapshot.sheet_id, "dimension": "ROWS", "startIndex": used}
                    | {"endIndex": snapshot.row_count}
                }
            }
        ]
    )
    assert w.sheets.read_tab(w.spreadsheet_id, "Calendar").row_count == used


def _archive(w: World, titles: list[str]) -> None:
    with w.trello_client() as trello:
        for title in titles:
            assert trello.put(f"/1/cards/{w.ids[title]}", params={"closed": "true"}).status_code == 200


def test_every_data_row_goes_in_one_write_when_the_grid_has_no_spare_row(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        w.sync()
        _trim_grid(w)
        _archive(w, [f"Post {i:05d}" for i in range(3)])
        with w.trello_client() as trello:
            created = trello.post("/1/cards", params={"idList": w.ids["Ideas"], "name": "Fresh start"})
            assert created.status_code == 200
        w.clear_logs()
        result = w.sync(allow_mass_delete=True)
        assert (result.outcome, result.rows_removed, result.rows_added) == ("ok", 3, 1)
        assert w.calls()["sheets_write"] == 1
        values = w.values()
        assert [row[1] for row in values] == ["Title", "Fresh start"]
        # The next run finds nothing to do: the sheet is whole again.
        assert w.sync().outcome == "noop"


def test_archiving_every_card_empties_the_tab_even_with_no_row_to_take_their_place(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        w.sync()
        _trim_grid(w)
        _archive(w, [f"Post {i:05d}" for i in range(3)])
        w.clear_logs()
        result = w.sync(allow_mass_delete=True)
        assert (result.outcome, result.rows_removed) == ("ok", 3)
        assert w.calls()["sheets_write"] == 1
        assert [row[1] for row in w.values()] == ["Title"]
        assert w.sync().outcome == "noop"


def test_a_title_row_typed_above_the_header_is_never_overwritten(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        w.sync()
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        w.batch_update(
            [
                {
                    "insertDimension": {
                        "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}
                    }
                },
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "Q2 content calendar"}}]}],
                        "fields": "userEnteredValue",
                    }
                },
            ]
        )
        before = w.values()
        w.clear_logs()
        with pytest.raises(HeaderRowMovedError, match=r"header row is now row 2\b.*'Q2 content calendar'"):
            w.sync()
        assert w.calls()["sheets_write"] == 0
        assert w.values() == before
        assert w.values()[0] == ["Q2 content calendar"]


def test_a_deleted_key_column_is_refused_naming_it_and_the_way_back(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        w.sync()
        snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")
        key = [cell.get("formattedValue") for cell in snapshot.rows[0]].index("Card ID")
        span = {"sheetId": snapshot.sheet_id, "dimension": "COLUMNS", "startIndex": key, "endIndex": key + 1}
        w.batch_update([{"deleteDimension": {"range": span}}])
        w.clear_logs()
        with pytest.raises(KeyColumnMissingError) as refused:
            w.sync()
        assert "key column 'Card ID' is missing" in str(refused.value)
        assert "Version history" in str(refused.value)
        assert "reads back empty" not in str(refused.value)
        assert w.calls()["sheets_write"] == 0
        assert w.store.runs("calendar")[0].outcome == "refused"
