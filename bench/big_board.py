"""A big board past Trello's 1,000-card cap: 20,000 cards, 5,000 open and 15,000 archived, `archived: keep`.

Every card becomes a row, so the Trello read pages (⌈N/1000⌉ + 1 requests at most) while the Sheets side
keeps its budget (≤ 1 read, 1 write). Each run's line gives its requests and wall time; the line after it
gives the process's peak resident memory so far (ru_maxrss: both emulators run in this process too).
"""

from __future__ import annotations

import resource
import tempfile
from pathlib import Path

from bench.harness import world
from bench.report import Figure, mib
from bench.sync_runs import CHANGED_SHARE, UNCHANGED, WITH_CHANGES, at_size, edit_cards, figure, measure


def _section(cards: int, archived: int) -> str:
    return f"Big board ({cards:,} cards, {archived:,} archived, kept)"


def _memory(section: str, name: str) -> Figure:
    """The process's peak resident memory after a run (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return Figure(section, f"{name}: peak memory", mib(peak))


def big_board_figures(cards: int, archived: int, directory: Path | None = None) -> list[Figure]:
    """First sync, no-op and 10%-changed resyncs of a board of `cards` cards, `archived` of them closed."""
    section = _section(cards, archived)
    with_changes, unchanged = at_size(WITH_CHANGES, cards), at_size(UNCHANGED, cards)
    figures: list[Figure] = []
    with (
        tempfile.TemporaryDirectory(prefix="boardsheet-bench-") as tmp,
        world(directory or Path(tmp), cards, archived=archived) as w,
    ):
        label = "big board"
        first, counts, elapsed = measure(w, w.sync)
        name = f"first sync, {label}"
        figures += [
            figure(name, counts, elapsed, with_changes, first.rows_added == cards),
            _memory(section, name),
        ]
        again, counts, elapsed = measure(w, w.sync)
        name = f"no-op resync, {label}"
        figures += [figure(name, counts, elapsed, unchanged, again.outcome == "noop"), _memory(section, name)]
        edited = edit_cards(w, CHANGED_SHARE)
        changed, counts, elapsed = measure(w, w.sync)
        name = f"resync, {CHANGED_SHARE}% changed ({edited:,} cards), {label}"
        sane = changed.cells_changed >= edited > 0
        figures += [figure(name, counts, elapsed, with_changes, sane), _memory(section, name)]
    return [f if f.section == section else _in(section, f) for f in figures]


def _in(section: str, f: Figure) -> Figure:
    """A sync-run figure moved under the big board's section."""
    return Figure(
        section, f.name, f.measured, f.target, f.met, f.kind, f.trello, f.sheets_reads, f.sheets_writes
    )
