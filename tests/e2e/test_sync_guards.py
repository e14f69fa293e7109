"""Runs refuse destructive surprises before any write, and recover from a lost state store."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import DuplicateKeyError, EmptySideError
from connectors.errors import TabNotFound
from tests.support.world import world


def _clear_tab(w: object) -> None:
    snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")  # type: ignore[attr-defined]
    w.batch_update(  # type: ignore[attr-defined]
        [{"updateCells": {"range": {"sheetId": snapshot.sheet_id, "startRowIndex": 1}, "fields": "*"}}]
    )


def test_an_emptied_sheet_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with world(tmp_path, cards=6) as w:
        w.sync()
        _clear_tab(w)
        w.clear_logs()
        with pytest.raises(EmptySideError, match="sheet side reads back empty"):
            w.sync()
        assert w.calls()["sheets_write"] == 0
        assert w.store.runs("calendar")[0].outcome == "refused"


def test_a_copied_row_is_refused_naming_the_rows(tmp_path: Path) -> None:
    with world(tmp_path, cards=4) as w:
        w.sync()
        snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")
        w.batch_update(
            [
                {
                    "appendCells": {
                        "sheetId": snapshot.sheet_id,
                        "rows": [{"values": snapshot.rows[1]}],
                        "fields": "userEnteredValue",
                    }
                }
            ]
        )
        w.clear_logs()
        with pytest.raises(DuplicateKeyError, match="rows 2, 6"):
            w.sync()
        assert w.calls()["sheets_write"] == 0


def test_a_mass_archive_is_held_until_approved(tmp_path: Path) -> None:
    with world(tmp_path, cards=8) as w:
        w.sync()
        with w.trello_client() as trello:
            for i in range(4):
                card = w.ids[f"Post {i:05d}"]
                assert trello.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
        w.clear_logs()
        held = w.sync()
        assert held.outcome == "held"
        assert w.calls()["sheets_write"] == 0
        assert len(w.values()) == 9
        [plan] = w.store.held_plans("calendar")
        assert {d["key"] for d in plan.plan["deletes"]} == {w.ids[f"Post {i:05d}"] for i in range(4)}
        w.store.approve_plan(plan.id, "ops")
        applied = w.sync()
        assert (applied.outcome, applied.rows_removed) == ("ok", 4)
        assert len(w.values()) == 5
        # The approval is spent: a second mass archive is held again.
        with w.trello_client() as trello:
            for i in range(4, 7):
                card = w.ids[f"Post {i:05d}"]
                assert trello.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
        assert w.sync().outcome == "held"


def test_a_lost_store_rebuilds_the_base_without_duplicating_rows(tmp_path: Path) -> None:
    with world(tmp_path, cards=6) as w:
        w.sync()
        before = w.values()
        with w.store.engine.begin() as connection:
            for table in ("bases", "runs"):
                connection.exec_driver_sql(f"DELETE FROM {table}")
        assert w.store.load_base("calendar") is None
        w.clear_logs()
        result = w.sync()
        assert result.outcome == "noop"
        assert w.values() == before
        assert w.store.load_base("calendar") is not None


def test_card_text_is_never_a_formula_and_odd_text_survives(tmp_path: Path) -> None:
    names = [
        '=IMPORTXML("http://evil", "//a")',
        "+1 555 0100",
        "-minus first",
        "@mention first",
        "Emoji 🎉🚀 post",
        "مرحبا بالعالم",
    ]
    with world(tmp_path, cards=1) as w:
        w.configure(
            columns="""
      - {header: Title, field: name}
      - {header: Description, field: desc}
"""
        )
        with w.trello_client() as trello:
            for name in names:
                created = trello.post("/1/cards", params={"idList": w.ids["Ideas"], "name": name})
                assert created.status_code == 200
            long_card = trello.post(
                "/1/cards", json={"idList": w.ids["Ideas"], "name": "Long", "desc": "x" * 60_000}
            ).json()
        w.sync()
        snapshot = w.sheets.read_tab(w.spreadsheet_id, "Calendar")
        by_title = {row[0].get("formattedValue"): row for row in snapshot.rows[1:]}
        for name in names:
            cell = by_title[name][0]
            assert cell["userEnteredValue"] == {"stringValue": name}
        description = by_title["Long"][1]["userEnteredValue"]["stringValue"]
        assert len(description) <= 50_000 and description.startswith("x" * 1000)
        assert description != "x" * 60_000 and long_card["desc"] == "x" * 60_000
        assert w.sync().outcome == "noop"  # a cut description does not look changed on every run


def test_a_missing_tab_is_reported_and_created_on_request(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        w.configure(extra="")
        w.config = w.config.model_copy(
            update={
                "pairs": [
                    w.config.pairs[0].model_copy(
                        update={"sheet": w.config.pairs[0].sheet.model_copy(update={"tab": "Plan"})}
                    )
                ]
            }
        )
        with pytest.raises(TabNotFound):
            w.sync()
        assert w.sync(create_tab=True).rows_added == 3
        assert len(w.values("Plan")) == 4
