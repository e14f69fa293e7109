"""Field failures replayed through the emulators' real APIs (issue 8, section 1)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.tabs import PairTab, tab_status
from app.errors import ConfigError, HeaderRowMovedError, KeyColumnMissingError
from app.runtime.status_reader import StatusReader
from connectors.errors import TabNotFound
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
        with pytest.raises(
            HeaderRowMovedError, match=r"header row is now row 2\b.*'Q2 content calendar'"
        ) as refused:
            w.sync()
        assert "set sheet.freshness: true" in str(refused.value)  # the way to keep the title
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
        # `boardsheet status` (the store alone, nothing running) says so: not "in sync" from the older run.
        pair = StatusReader(w.config, w.store).status()["pairs"][0]
        assert (pair["state"], pair["healthy"]) == ("failing", False)
        assert pair["summary"].startswith("failing since ") and "key column 'Card ID'" in pair["summary"]


def _rename(w: World, sheet_id: int, title: str) -> None:
    properties = {"sheetId": sheet_id, "title": title}
    w.batch_update([{"updateSheetProperties": {"properties": properties, "fields": "title"}}])


def _titles(w: World) -> list[str]:
    return [str(tab["title"]) for tab in w.sheets.tabs(w.spreadsheet_id)]


def test_a_renamed_tab_is_followed_by_its_sheet_id_and_never_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with world(tmp_path, cards=3) as w:
        w.sync()
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        _rename(w, sheet_id, "Calendar (old)")
        with w.trello_client() as trello:
            moved = trello.put(f"/1/cards/{w.ids['Post 00001']}", params={"name": "Renamed post"})
            assert moved.status_code == 200
        w.syncer().preview("calendar")  # `boardsheet plan` follows too, but writes nothing to the store
        assert w.store.known_tab("calendar") == PairTab(w.spreadsheet_id, "Calendar", sheet_id, "Calendar")
        with caplog.at_level(logging.WARNING, logger="app.runtime.tab_reader"):
            result = w.sync(create_tab=True)
        assert (result.outcome, result.rows_added, result.rows_removed) == ("ok", 0, 0)
        assert "Renamed post" in [row[1] for row in w.values("Calendar (old)")]
        assert _titles(w) == ["Calendar (old)"]  # --create-tab added nothing beside the renamed tab
        assert "tab 'Calendar' is now named 'Calendar (old)'" in caplog.text
        assert "set sheet.tab to 'Calendar (old)'" in caplog.text
        known = w.store.known_tab("calendar")
        assert known is not None and (known.sheet_id, known.title) == (sheet_id, "Calendar (old)")
        followed = tab_status(known, w.spreadsheet_id, "Calendar")["tab_followed"]
        assert "follows it by its sheet id" in followed
        # Later runs read the renamed tab directly: one read, as before the rename.
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls()["sheets_read"] == 1

        # Someone adds an empty "Calendar" beside it (the old advice): the pair stays on its own tab.
        w.sheets.add_tab(w.spreadsheet_id, "Calendar")
        with w.trello_client() as trello:
            trello.put(f"/1/cards/{w.ids['Post 00002']}", params={"name": "Still here"})
        _rename(w, sheet_id, "Calendar 2026")
        result = w.sync()
        assert result.outcome == "ok"
        assert "Still here" in [row[1] for row in w.values("Calendar 2026")]
        assert w.values("Calendar") == []


def test_create_tab_refuses_a_near_miss_and_names_the_way_out(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        _rename(w, sheet_id, "calendar ")  # before any sync: no sheet id is known yet
        with pytest.raises(ConfigError) as refused:
            w.sync(create_tab=True)
        assert "near miss" in str(refused.value)
        assert "rename the tab 'calendar ' to 'Calendar', or set sheet.tab to 'calendar '" in str(
            refused.value
        )
        assert _titles(w) == ["calendar "]


def test_a_deleted_tab_is_refused_with_the_way_out_and_create_tab_then_adds_it(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        w.sync()
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        w.sheets.add_tab(w.spreadsheet_id, "Notes")
        w.batch_update([{"deleteSheet": {"sheetId": sheet_id}}])
        with pytest.raises(TabNotFound) as missing:
            w.sync()
        assert f"the tab it last synced (sheet id {sheet_id}) is gone" in str(missing.value)
        assert "--create-tab" in str(missing.value)
        created = w.sync(create_tab=True)
        assert created.outcome == "ok" and _titles(w) == ["Notes", "Calendar"]


def test_a_missing_tab_names_its_near_misses_instead_of_suggesting_create_tab(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        _rename(w, sheet_id, "Calendar (old)")  # before any sync: no sheet id is known yet
        w.sheets.add_tab(w.spreadsheet_id, "Calendar view")
        with pytest.raises(TabNotFound) as missing:
            w.sync()
        message = str(missing.value)
        # --create-tab would be refused: the way out named is the near misses, not that option.
        assert "--create-tab" not in message
        assert "tabs named 'Calendar view' and 'Calendar (old)'" in message
        assert "set sheet.tab to its name" in message
        with pytest.raises(ConfigError, match=r"'Calendar view' and 'Calendar \(old\)', near misses"):
            w.sync(create_tab=True)
        assert _titles(w) == ["Calendar (old)", "Calendar view"]
