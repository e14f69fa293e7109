"""Sync runs through the emulators: first sync, no-op resync and a resync with 10% of cards changed."""

from __future__ import annotations

import math
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

# Per run: (most Trello requests, most Sheets reads, Sheets writes), from ../shared/DESIGN.md "Budgets".
WITH_CHANGES = (1, 1, 1)
UNCHANGED = (1, 1, 0)


def trello_budget(cards: int) -> int:
    """Most Trello requests per run: 1 below Trello's 1,000-card cap, a page per 1,000 cards more beyond."""
    return 1 if cards < 1000 else math.ceil(cards / 1000) + 1


def at_size(budget: tuple[int, int, int], cards: int) -> tuple[int, int, int]:
    """A run's budget on a board of `cards` cards."""
    return (trello_budget(cards), budget[1], budget[2])


def _budget(budget: tuple[int, int, int]) -> str:
    trello, reads, writes = budget
    return f"≤{trello} / ≤{reads} / {writes} req"


def measure(w: World, run: Callable[[], RunResult]) -> tuple[RunResult, Counter[str], float]:
    """Run once with fresh request logs: the result, the requests the emulators saw, the wall time."""
    w.clear()
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    return result, w.counts(), elapsed


def figure(
    name: str, counts: Counter[str], elapsed: float, budget: tuple[int, int, int], sane: bool
) -> Figure:
    """One run's line; `sane` adds what the run must have done (rows added, cells changed...)."""
    trello, reads, writes = counts["trello"], counts["sheets_read"], counts["sheets_write"]
    met = sane and trello <= budget[0] and reads <= budget[1] and writes == budget[2]
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
        first, counts, elapsed = measure(w, w.sync)
        with_changes, unchanged = at_size(WITH_CHANGES, cards), at_size(UNCHANGED, cards)
        figures = [figure(f"first sync, {label}", counts, elapsed, with_changes, first.rows_added == cards)]
        again, counts, elapsed = measure(w, w.sync)
        figures.append(figure(f"no-op resync, {label}", counts, elapsed, unchanged, again.outcome == "noop"))
        edited = edit_cards(w, CHANGED_SHARE)
        changed, counts, elapsed = measure(w, w.sync)
        sane = changed.cells_changed >= edited > 0
        name = f"resync, {CHANGED_SHARE}% changed ({edited:,} cards)"
        figures.append(figure(name, counts, elapsed, with_changes, sane))
    return figures
