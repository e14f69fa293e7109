"""The freshness line: what it says, when an idle run must refresh it, since when runs fail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.views.cells import EMPTY, GridCell
from app.core.views.freshness import Freshness, due, failing_since, freshness_cell, written_at

NOW = datetime(2026, 11, 30, 9, 42, tzinfo=UTC)
EVERY = timedelta(minutes=15)
LINE = Freshness("Social content calendar", "Europe/Paris", NOW, timedelta(minutes=5))


def test_the_line_names_the_board_the_time_in_the_pair_zone_and_the_interval() -> None:
    cell = freshness_cell(LINE, NOW)
    assert cell.text == (
        "Synced from Trello board «Social content calendar» at 10:42 (Europe/Paris)"
        " · checked at least every 5 min"
    )
    assert written_at(cell) == NOW


def test_with_webhooks_working_the_line_says_changes_arrive_within_seconds() -> None:
    live = Freshness("Social content calendar", "Europe/Paris", NOW, timedelta(minutes=5), instant=True)
    assert freshness_cell(live, NOW).text == (
        "Synced from Trello board «Social content calendar» at 10:42 (Europe/Paris)"
        " · every change within seconds"
    )


def test_an_idle_run_refreshes_the_line_only_once_it_is_old() -> None:
    line = freshness_cell(LINE, NOW)
    assert not due(line, NOW + EVERY - timedelta(seconds=1), EVERY)
    assert due(line, NOW + EVERY, EVERY)
    assert due(EMPTY, NOW, EVERY)  # never written (or wiped by someone)
    assert due(GridCell(text="typed over", note="hello"), NOW, EVERY)
    assert due(line, NOW - timedelta(hours=1), EVERY)  # written "in the future": a clock moved back


def test_four_refreshes_an_hour_at_most() -> None:
    written, writes = NOW, 0
    for minute in range(1, 61):
        now = NOW + timedelta(minutes=minute)
        if due(freshness_cell(LINE, written), now, EVERY):
            written, writes = now, writes + 1
    assert writes == 4


def test_failing_lines_say_since_when_and_why() -> None:
    since, synced = failing_since(
        [("failed", NOW - timedelta(minutes=5)), ("refused", NOW - timedelta(minutes=20)),
         ("ok", NOW - timedelta(minutes=30)), ("failed", NOW - timedelta(hours=3))],
        NOW,
    )  # fmt: skip
    assert (since, synced) == (NOW - timedelta(minutes=20), NOW - timedelta(minutes=30))
    failure = Freshness("", "Europe/Paris", synced, timedelta(minutes=5), since, "Trello answered 503")
    cell = freshness_cell(failure, NOW)
    assert cell.text == (
        "⚠ Not synced since 10:22 (Europe/Paris): Trello answered 503 · shows Trello as of 10:12"
    )
    # A failure starting, or ending, is news: written at once, whatever the line's age.
    fresh = freshness_cell(LINE, NOW)
    assert due(fresh, NOW + timedelta(minutes=1), EVERY, failure=True)
    assert due(cell, NOW + timedelta(minutes=1), EVERY)
    assert not due(cell, NOW + timedelta(minutes=1), EVERY, failure=True)


def test_another_day_shows_its_date_and_long_reasons_are_cut() -> None:
    failure = Freshness("", "UTC", None, timedelta(hours=1), NOW - timedelta(days=1), "x" * 500)
    text = freshness_cell(failure, NOW).text
    assert text.startswith("⚠ Not synced since 2026-11-29 09:42 (UTC): xxx")
    assert text.endswith("…") and len(text) < 200
    assert failing_since([("failed", NOW)], NOW + timedelta(minutes=1)) == (NOW, None)
