"""The sheet's change-log records: the Who holds only who; what became of a value is in the After text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.plan import SheetEvent
from app.core.records import ChangeRecord
from app.core.sheet_log import sheet_records

AT = datetime(2026, 12, 1, 10, 42, tzinfo=UTC)
REASON = "the board has no open list 'Somewhere else'"


def _record(event: SheetEvent, editor: str | None = "cora@example.com") -> ChangeRecord:
    (record,) = sheet_records([event], pair="p", board_id="b", cards={"c1": "Post"}, at=AT, editor=editor)
    return record


@pytest.mark.parametrize(
    ("event", "before", "after"),
    [
        (SheetEvent("edit", "c1", "list", "Ideas", "Review"), "Ideas", "Review"),
        (
            SheetEvent("rejected", "c1", "list", "Ideas", "Somewhere else", REASON),
            "Somewhere else",
            f"Ideas — not applied: {REASON}",
        ),
        (
            SheetEvent("rejected", "c1", "custom:Channel", None, "Podcast", "not an option"),
            "Podcast",
            "not applied: not an option",
        ),
        (
            SheetEvent("overridden", "c1", "due", "2026-12-02", "2026-12-03", "conflict: Trello won"),
            "2026-12-03",
            "2026-12-02 — lost a conflict (conflicts: trello), Trello's value kept",
        ),
        (
            SheetEvent("overridden", "c1", "due", "2026-12-03", "2026-12-02", "conflict: the sheet won"),
            "2026-12-02",
            "2026-12-03 — won a conflict (conflicts: sheet), Trello's value replaced",
        ),
        (
            SheetEvent("restored", "c1", "row"),
            None,
            "Post — row deleted, written back (a row never archives its card)",
        ),
    ],
)
def test_who_is_only_the_editor_and_the_outcome_is_in_after(
    event: SheetEvent, before: str, after: str
) -> None:
    record = _record(event)
    assert record.member == "cora@example.com"
    assert (record.before, record.after) == (before, after)


def test_an_unknown_editor_is_the_sheet_alone() -> None:
    record = _record(SheetEvent("rejected", "c1", "list", "Ideas", "Nowhere", REASON), editor=None)
    assert record.member == "the sheet" and REASON in (record.after or "")
