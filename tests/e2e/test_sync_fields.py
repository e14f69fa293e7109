"""Every field kind through both emulators, and a stakeholder's damage to the header repaired in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.world import World, world

CUSTOM_COLUMNS = """
      - {header: Title, field: name}
      - {header: Due, field: due}
      - {header: Done, field: dueComplete}
      - {header: Brief, field: "custom:Brief"}
      - {header: Budget, field: "custom:Budget"}
      - {header: Go-live, field: "custom:Go-live"}
      - {header: Approved, field: "custom:Approved"}
      - {header: Channel, field: "custom:Channel"}
      - {header: Checklist, field: checklist}
"""


def _cells(w: World) -> dict[str, dict[str, dict[str, Any]]]:
    """Title -> header -> CellData of the Calendar tab."""
    snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")
    headers = [cell.get("formattedValue", "") for cell in snapshot.rows[0]]
    rows = {}
    for row in snapshot.rows[1:]:
        by_header = dict(zip(headers, row, strict=False))
        rows[by_header["Title"].get("formattedValue", "")] = by_header
    return rows


def test_every_custom_field_type_becomes_a_typed_cell(tmp_path: Path) -> None:
    with world(tmp_path, cards=0) as w:
        w.configure(columns=CUSTOM_COLUMNS)
        t = w.trello
        fields = {
            "Brief": t.create_custom_field(w.board_id, "Brief", "text"),
            "Budget": t.create_custom_field(w.board_id, "Budget", "number"),
            "Go-live": t.create_custom_field(w.board_id, "Go-live", "date"),
            "Approved": t.create_custom_field(w.board_id, "Approved", "checkbox"),
            "Channel": t.create_custom_field(w.board_id, "Channel", "list", ["Organic", "Paid"]),
        }
        card = t.create_card(w.ids["Ideas"], "Launch post")
        t.create_card(w.ids["Ideas"], "No dates at all")
        t.set_custom_field(card["id"], fields["Brief"]["id"], {"text": "=SUM(A1:A9) is text"})
        t.set_custom_field(card["id"], fields["Budget"]["id"], {"number": "1250.5"})
        t.set_custom_field(card["id"], fields["Go-live"]["id"], {"date": "2026-12-24T17:30:00.000Z"})
        t.set_custom_field(card["id"], fields["Approved"]["id"], {"checked": "true"})
        paid = next(o for o in fields["Channel"]["options"] if o["value"]["text"] == "Paid")
        t.set_custom_field(card["id"], fields["Channel"]["id"], None, id_value=paid["id"])
        with w.trello_client() as client:
            item = client.post(f"/1/cards/{card['id']}/checklists", params={"name": "Steps"}).json()
            for name, state in (("Draft", "complete"), ("Design", "incomplete")):
                added = client.post(f"/1/checklists/{item['id']}/checkItems", params={"name": name}).json()
                client.put(f"/1/cards/{card['id']}/checkItem/{added['id']}", params={"state": state})
        assert w.sync().rows_added == 2
        rows = _cells(w)
        launch = rows["Launch post"]
        assert launch["Brief"]["userEnteredValue"] == {"stringValue": "=SUM(A1:A9) is text"}
        assert launch["Budget"]["userEnteredValue"] == {"numberValue": 1250.5}
        assert launch["Go-live"]["formattedValue"].startswith("2026-12-24 18:30")  # Europe/Paris
        assert launch["Approved"]["userEnteredValue"] == {"boolValue": True}
        assert launch["Channel"]["formattedValue"] == "Paid"
        assert launch["Checklist"]["formattedValue"] == "1/2"
        assert launch["Done"]["userEnteredValue"] == {"boolValue": False}
        no_dates = rows["No dates at all"]
        assert "userEnteredValue" not in no_dates.get("Due", {})
        assert w.sync().outcome == "noop"


def test_a_renamed_or_deleted_owned_header_is_restored_without_moving_free_columns(tmp_path: Path) -> None:
    with world(tmp_path, cards=4) as w:
        w.sync()
        sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
        header = w.values()[0]
        notes = len(header)
        w.batch_update(
            [
                _write(sheet_id, 0, notes, ["Notes"]),
                _write(sheet_id, 1, notes, ["keep me"]),
                _write(sheet_id, 0, header.index("Title"), ["Post title"]),  # renamed by hand
            ]
        )
        status = header.index("Status")
        w.batch_update(
            [
                {
                    "deleteDimension": {
                        "range": {
                            "sheetId": sheet_id,
                            "dimension": "COLUMNS",
                            "startIndex": status,
                            "endIndex": status + 1,
                        }
                    }
                }
            ]
        )
        card_of_row1 = w.values()[1][-2]  # the key column sits left of Notes now
        w.clear_logs()
        result = w.sync()
        assert w.calls()["sheets_write"] == 1
        assert result.outcome == "ok"
        values = w.values()
        after = values[0]
        assert after[header.index("Title")] == "Title"  # restored in place
        assert after[notes - 1] == "Notes"  # the free column did not move...
        assert after[notes] == "Status"  # ...the deleted owned column came back after it
        row = next(r for r in values[1:] if card_of_row1 in r)
        assert row[notes - 1] == "keep me"
        assert w.sync().outcome == "noop"


def _write(sheet_id: int, row: int, column: int, texts: list[str]) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": t}} for t in texts]}],
            "fields": "userEnteredValue",
        }
    }
