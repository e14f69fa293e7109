"""A run through both emulators over real HTTP: what the sheet shows and how many calls it costs."""

from __future__ import annotations

from pathlib import Path

from tests.support.world import world


def test_first_sync_fills_the_sheet_then_a_second_run_changes_nothing(tmp_path: Path) -> None:
    with world(tmp_path, cards=12) as w:
        w.clear_logs()
        first = w.sync()
        assert first.outcome == "ok" and first.rows_added == 12
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        values = w.values()
        assert values[0] == ["Date", "Title", "Status", "Network", "Link", "Card ID"]
        assert sorted(row[1] for row in values[1:]) == [f"Post {i:05d}" for i in range(12)]
        w.clear_logs()
        second = w.sync()
        assert second.outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}
        assert w.store.runs("calendar")[0].outcome == "noop"


def _card_ids(w: object, names: list[str]) -> list[str]:
    ids: dict[str, str] = w.ids  # type: ignore[attr-defined]
    return [ids[name] for name in names]


def test_changes_cost_one_write_and_free_columns_stay_on_their_card(tmp_path: Path) -> None:
    with world(tmp_path, cards=10) as w:
        w.sync()
        header = w.values()[0]
        notes_column = len(header)  # a stakeholder adds "Notes" right of the owned columns
        rows = w.values()[1:]
        note_for = {row[-1]: f"note on {row[1]}" for row in rows}
        w.batch_update(
            [
                {
                    "updateCells": {
                        "start": {"sheetId": _sheet_id(w), "rowIndex": 0, "columnIndex": notes_column},
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "Notes"}}]}]
                        + [
                            {"values": [{"userEnteredValue": {"stringValue": note_for[row[-1]]}}]}
                            for row in rows
                        ],
                        "fields": "userEnteredValue",
                    }
                }
            ]
        )
        [moved, renamed, gone] = _card_ids(w, ["Post 00001", "Post 00002", "Post 00003"])
        with w.trello_client() as trello:
            published = w.ids["Published"]
            assert trello.put(f"/1/cards/{moved}", params={"idList": published}).status_code == 200
            assert trello.put(f"/1/cards/{renamed}", params={"name": "Renamed post"}).status_code == 200
            due = {"due": "2026-01-01T08:00:00.000Z"}
            assert trello.put(f"/1/cards/{gone}", params=due).status_code == 200
            created = trello.post("/1/cards", params={"idList": published, "name": "Brand new"}).json()
        w.clear_logs()
        result = w.sync()
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        assert (result.rows_added, result.rows_removed) == (1, 0)
        assert result.cells_changed == 4  # list, name, due, and the URL (Trello slugs the name into it)
        values = w.values()
        by_key = {row[5]: row for row in values[1:]}
        assert by_key[moved][2] == "Published"
        assert by_key[renamed][1] == "Renamed post"
        assert by_key[created["id"]][1] == "Brand new"
        for key, note in note_for.items():
            assert by_key[key][notes_column] == note  # the note moved with its card through the re-sort
        dated = [row[0] for row in values[1:] if row[0]]
        assert dated == sorted(dated)  # sorted by date after the due-date change


def _sheet_id(w: object) -> int:
    snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")  # type: ignore[attr-defined]
    return int(snapshot.sheet_id)
