"""The month grid's cost: month_grid() and its requests (pure), and sync runs with a 3-month view on.

The board's cards are due over the three months the grid shows, so every card lands in the grid; the
runs keep the budgets of a pair without views (the grid tab comes in the run's one read, its changes
in the run's one write).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from app.core.model import Board
from app.core.views.month import MonthSpec, month_grid
from app.core.views.sheet import grid_requests
from bench.harness import world
from bench.planner import POLICY, best_cpu, make_board
from bench.report import Figure, ms
from bench.sync_runs import UNCHANGED, WITH_CHANGES, at_size, edit_cards, figure, measure

SECTION = "Month grid (a 3-month view)"
MONTHS, DAYS = 3, 90  # cards due over the 90 days from 1 December: December to February
TODAY = date(2026, 12, 1)
VIEW_TAB = "Calendar view"
VIEW = f"    views: [{{type: month, tab: {VIEW_TAB}, months: {MONTHS}}}]\n"
TARGET_SECONDS = 0.100


def _now() -> datetime:
    """The benchmark's fixed "now", so the grid shows the months the cards fall in."""
    return datetime(2026, 12, 1, 8, tzinfo=UTC)


def spread_board(cards: int) -> Board:
    """The planner's board with its cards due over the 90 days the grid shows."""
    board = make_board(cards)
    return replace(board, cards=tuple(replace(card, due=_due(i)) for i, card in enumerate(board.cards)))


def _due(index: int) -> datetime:
    """Card `index`'s due date: one of the 90 days, at 09:xx UTC."""
    day = datetime.combine(TODAY, time(9, index % 60), UTC)
    return day + timedelta(days=index % DAYS)


def pure_figures(cards: int, repeat: int) -> list[Figure]:
    """CPU of month_grid() and of the requests for a new tab, for `cards` cards over three months."""
    board = spread_board(cards)
    spec = MonthSpec(tab="Calendar view", months=MONTHS, timezone="Europe/Paris")
    grid = month_grid(board, POLICY, spec, TODAY)
    build = best_cpu(partial(month_grid, board, POLICY, spec, TODAY), repeat)
    render = best_cpu(partial(grid_requests, grid, None, title="Calendar view", new_id=1), repeat)
    label = f"{cards:,} cards over {MONTHS} months"
    target = f"≤ {ms(TARGET_SECONDS)} CPU"
    return [
        Figure(SECTION, f"month_grid(), {label}: CPU", ms(build), target, build <= TARGET_SECONDS, "target"),
        Figure(SECTION, f"grid requests for a new tab, {label}: CPU", ms(render)),
        Figure(SECTION, f"grid, {label}: rows x columns", f"{len(grid.rows)} x 7"),
    ]


def sync_figures(cards: int) -> list[Figure]:
    """First sync, no-op resync and 10%-changed resync with the view on, counted in the request logs."""
    with (
        tempfile.TemporaryDirectory(prefix="boardsheet-bench-") as tmp,
        world(Path(tmp), cards, days=DAYS, extra=VIEW, clock=_now) as w,
    ):
        w.syncer.sheets.add_tab(w.spreadsheet_id, VIEW_TAB)  # as people would have it: no extra read
        label = f"{cards:,} cards, {MONTHS}-month view"
        first, counts, elapsed = measure(w, w.sync)
        sane = first.rows_added == cards and "views updated" in first.message
        with_changes, unchanged = at_size(WITH_CHANGES, cards), at_size(UNCHANGED, cards)
        figures = [figure(f"first sync, {label}", counts, elapsed, with_changes, sane)]
        again, counts, elapsed = measure(w, w.sync)
        figures.append(figure(f"no-op resync, {label}", counts, elapsed, unchanged, again.outcome == "noop"))
        edited = edit_cards(w, 10)
        changed, counts, elapsed = measure(w, w.sync)
        sane = changed.cells_changed >= edited > 0 and "views updated" in changed.message
        name = f"resync, 10% changed ({edited:,} cards), {label}"
        figures.append(figure(name, counts, elapsed, with_changes, sane))
    return [replace(figure, section=SECTION) for figure in figures]


def view_figures(cards: int, repeat: int) -> list[Figure]:
    """Every figure of the month grid at `cards` cards."""
    return pure_figures(cards, repeat) + sync_figures(cards)
