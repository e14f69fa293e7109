"""Held plans people can judge: the rows they would delete, their approval in the change log, and
their clearing when a later run no longer needs them."""

from __future__ import annotations

from pathlib import Path

from tests.support.world import World, world


def _archive(w: World, first: int, last: int, closed: str = "true") -> None:
    with w.trello_client() as trello:
        for i in range(first, last):
            card = w.ids[f"Post {i:05d}"]
            assert trello.put(f"/1/cards/{card}", params={"closed": closed}).status_code == 200


def _note(w: World, row: int, text: str) -> None:
    """A stakeholder types a note in free column F (the pair owns A..E and the key column)."""
    sheet_id = w.sheets.read_tab(w.spreadsheet_id, "Calendar").sheet_id
    w.batch_update(
        [
            {
                "updateCells": {
                    "range": {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": 6},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "Notes"}}]}],
                    "fields": "userEnteredValue",
                }
            },
            {
                "updateCells": {
                    "range": {"sheetId": sheet_id, "startRowIndex": row, "startColumnIndex": 6},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": text}}]}],
                    "fields": "userEnteredValue",
                }
            },
        ]
    )


def test_a_held_plan_lists_its_rows_and_its_approval_reaches_the_change_log(tmp_path: Path) -> None:
    with world(tmp_path, cards=8) as w:
        w.sync()
        rows = w.values()
        noted = next(i for i, row in enumerate(rows) if row[1] == "Post 00001")
        _note(w, noted, "client signed off")
        _archive(w, 0, 4)
        assert w.sync().outcome == "held"
        [plan] = w.store.held_plans("calendar")
        shown = {row["title"]: row for row in plan.plan["rows"]}
        assert set(shown) == {f"Post {i:05d}" for i in range(4)}
        assert shown["Post 00001"]["free"] == {"Notes": "client signed off"}
        assert shown["Post 00001"]["list"] and shown["Post 00001"]["reason"] == "archived"
        assert shown["Post 00002"]["free"] == {}

        w.store.approve_plan(plan.id, "Olivia Ops")
        applied = w.sync()
        assert applied.outcome == "ok" and "held plan" in applied.message
        log = [c for c in w.store.recent_changes("calendar") if c.action_type == "approvedDelete"]
        assert {c.card_name for c in log} == {f"Post {i:05d}" for i in range(4)}
        assert {c.member for c in log} == {"Olivia Ops"}
        assert {c.field for c in log} == {"row removed"}


def test_a_held_plan_no_longer_needed_is_cleared(tmp_path: Path) -> None:
    with world(tmp_path, cards=8) as w:
        w.sync()
        _archive(w, 0, 4)
        assert w.sync().outcome == "held"
        assert len(w.store.held_plans("calendar")) == 1
        _archive(w, 0, 4, closed="false")  # the archive was undone
        assert w.sync().outcome == "noop"
        assert w.store.held_plans("calendar") == []  # not left "waiting for approval"


def test_create_tab_refuses_a_near_miss_and_says_when_it_created_one(tmp_path: Path) -> None:
    import pytest

    from app.errors import ConfigError

    with world(tmp_path, cards=2) as w:
        w.sheets.add_tab(w.spreadsheet_id, "Schedule (old)")
        w.configure()
        w.config = w.config.model_copy(
            update={
                "pairs": [
                    w.config.pairs[0].model_copy(
                        update={"sheet": w.config.pairs[0].sheet.model_copy(update={"tab": "Schedule"})}
                    )
                ]
            }
        )
        with pytest.raises(ConfigError, match="the spreadsheet has a tab named 'Schedule \\(old\\)'"):
            w.sync(create_tab=True)
        assert "Schedule" not in [t["title"] for t in w.sheets.tabs(w.spreadsheet_id)]
        w.config = w.config.model_copy(
            update={
                "pairs": [
                    w.config.pairs[0].model_copy(
                        update={"sheet": w.config.pairs[0].sheet.model_copy(update={"tab": "Plan B"})}
                    )
                ]
            }
        )
        created = w.sync(create_tab=True)
        assert created.message.startswith("created tab 'Plan B', 2 added")
        assert "header created" in created.message
