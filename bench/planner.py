"""The pure planner: CPU time of app.core.engine.plan(), its peak memory, and its growth to 50,000 cards."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from app.core.engine import plan
from app.core.mapping import board_rows
from app.core.model import Base, Board, BoardRows, Card, Column, Policy, SheetTab
from app.core.plan import Plan
from bench.harness import COLUMNS, HEADERS
from bench.report import Figure, mib, ms
from connectors.emulators.synthetic import LISTS

SECTION = "Planner (pure, no HTTP)"
TARGET_SECONDS = 0.100
PER_CARD_TARGET = 5e-6  # seconds of CPU per card on a first sync, at every size (issue 13)
POLICY = Policy(
    columns=tuple(Column(h, f) for h, f in zip(HEADERS, COLUMNS, strict=True)), timezone="Europe/Paris"
)
START = datetime(2026, 12, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Inputs:
    """What plan() takes for one scenario, built before the clock starts."""

    base: Base | None
    rows: BoardRows
    sheet: SheetTab


def make_board(cards: int, edited_share: int = 0) -> Board:
    """A board of `cards` cards in date order; the first `edited_share` percent renamed."""
    edited = cards * edited_share // 100
    return Board(
        id="b" * 24,
        name="Calendar board",
        cards=tuple(
            Card(
                id=f"{i:024x}",
                name=f"Post {i:05d}" + (" (edited)" if i < edited else ""),
                due=START + timedelta(minutes=30 * i),
                list_name=LISTS[i % len(LISTS)],
                labels=("Instagram",) if i % 3 == 0 else (),
                url=f"https://trello.com/c/{i:08x}",
                pos=float(i),
            )
            for i in range(cards)
        ),
    )


def synced_sheet(rows: BoardRows) -> SheetTab:
    """The tab as the last run left it: tagged headers, one row per card, sorted by date then key."""
    owned = POLICY.owned_columns()
    values = sorted(
        (tuple(cells[c.header].value for c in owned) for cells in rows.rows.values()),
        key=lambda row: (row[0], row[-1]),
    )
    return SheetTab(
        sheet_id=0,
        headers=tuple(c.header for c in owned),
        column_tags=tuple(c.field for c in owned),
        rows=tuple(values),
        row_count=len(values) + 1,
        column_count=len(owned),
        frozen_rows=1,
    )


def scenarios(cards: int) -> dict[str, Inputs]:
    """First sync (empty tab) and a resync with 10% of cards renamed."""
    before = board_rows(make_board(cards), POLICY)
    base: Base = {key: {h: cell.value for h, cell in cells.items()} for key, cells in before.rows.items()}
    empty = SheetTab(sheet_id=0, headers=(), column_tags=(), rows=())
    return {
        "first sync": Inputs(None, before, empty),
        "resync, 10% changed": Inputs(base, board_rows(make_board(cards, 10), POLICY), synced_sheet(before)),
    }


def best_cpu(call: Callable[[], object], repeat: int) -> float:
    """The least process CPU time of `repeat` calls (the least disturbed by the noisy neighbours)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def peak_memory(call: Callable[[], object]) -> int:
    """tracemalloc's peak of allocations during one call, in bytes."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run_plan(inputs: Inputs) -> Plan:
    """plan() on prepared inputs."""
    return plan(inputs.base, inputs.rows, inputs.sheet, POLICY)


def planner_figures(cards: int, repeat: int = 5) -> list[Figure]:
    """CPU time (best of `repeat`) and peak memory of plan() per scenario, with its action counts."""
    figures = []
    for name, inputs in scenarios(cards).items():
        result = run_plan(inputs)
        summary = result.summary()
        cpu = best_cpu(partial(run_plan, inputs), repeat)
        label = f"plan() {name}, {cards:,} cards"
        target = f"≤ {ms(TARGET_SECONDS)} CPU"
        figures.append(Figure(SECTION, f"{label}: CPU", ms(cpu), target, cpu <= TARGET_SECONDS, "target"))
        actions = f"+{summary['rows_added']:,} rows, {summary['cells_changed']:,} cells"
        figures.append(Figure(SECTION, f"{label}: planned", actions))
        peak = peak_memory(partial(run_plan, inputs))
        figures.append(Figure(SECTION, f"{label}: tracemalloc peak", mib(peak)))
    return figures


def scale_figures(sizes: tuple[int, ...], repeat: int = 3) -> list[Figure]:
    """CPU per card of a first sync at each size (target ≤ 5 µs/card), and the last/first ratio."""
    figures, per_card = [], []
    for cards in sizes:
        cpu = best_cpu(partial(run_plan, scenarios(cards)["first sync"]), repeat)
        per_card.append(cpu / cards)
        met = cpu / cards <= PER_CARD_TARGET
        label = f"plan() first sync, {cards:,} cards: CPU per card"
        figures.append(Figure(SECTION, label, f"{cpu / cards * 1e6:.2f} µs", "≤ 5 µs/card", met, "target"))
    growth = per_card[-1] / per_card[0]
    name = f"plan() per-card CPU, {sizes[-1]:,} / {sizes[0]:,} cards"
    figures.append(Figure(SECTION, name, f"{growth:.2f}x", "≤ 1.5x (linear)", growth <= 1.5, "target"))
    return figures
