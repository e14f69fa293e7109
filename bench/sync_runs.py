"""Sync runs through the emulators: first sync, no-op resync and a resync with 10% of cards changed."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.runtime.sync import RunResult
from bench.harness import World, world
from bench.report import Figure, secs

SECTION = "Sync runs (emulators on loopback)"
CHANGED_SHARE = 10  # percent of cards edited before the third run

# Per run: (Trello requests, most Sheets reads, Sheets writes), from ../shared/DESIGN.md "Budgets".
WITH_CHANGES = (1, 1, 1)
UNCHANGED = (1, 1, 0)


def _budget(budget: tuple[int, int, int]) -> str:
    trello, reads, writes = budget
    return f"{trello} / ≤{reads} / {writes} req"


def _measure(w: World, run: Callable[[], RunResult]) -> tuple[RunResult, Counter[str], float]:
    """Run once with fresh request logs: the result, the requests the emulators saw, the wall time."""
    w.clear()
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    return result, w.counts(), elapsed


def _figure(
    name: str, counts: Counter[str], elapsed: float, budget: tuple[int, int, int], sane: bool
) -> Figure:
    """One run's line; `sane` adds what the run must have done (rows added, cells changed...)."""
    trello, reads, writes = counts["trello"], counts["sheets_read"], counts["sheets_write"]
    met = sane and trello == budget[0] and reads <= budget[1] and writes == budget[2]
    return Figure(SECTION, name, secs(elapsed), _budget(budget), met, "budget", trello, reads, writes)


def edit_cards(w: World, share: int) -> int:
    """Rename `share` percent of the cards straight in the Trello emulator's state; returns how many."""
    state = w.trello_state
    with state.lock:
        cards = list(state.cards.values())
        edited = cards[: len(cards) * share // 100]
        for card in edited:
            card["name"] += " (edited)"
    return len(edited)


def sync_figures(cards: int, directory: Path | None = None) -> list[Figure]:
    """First sync, no-op resync and 10%-changed resync of a board of `cards` cards."""
    with (
        tempfile.TemporaryDirectory(prefix="boardsheet-bench-") as tmp,
        world(directory or Path(tmp), cards) as w,
    ):
        label = f"{cards:,} cards"
        first, counts, elapsed = _measure(w, w.sync)
        figures = [_figure(f"first sync, {label}", counts, elapsed, WITH_CHANGES, first.rows_added == cards)]
        again, counts, elapsed = _measure(w, w.sync)
        figures.append(_figure(f"no-op resync, {label}", counts, elapsed, UNCHANGED, again.outcome == "noop"))
        edited = edit_cards(w, CHANGED_SHARE)
        changed, counts, elapsed = _measure(w, w.sync)
        sane = changed.cells_changed >= edited > 0
        name = f"resync, {CHANGED_SHARE}% changed ({edited:,} cards)"
        figures.append(_figure(name, counts, elapsed, WITH_CHANGES, sane))
    return figures
