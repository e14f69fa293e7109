"""`python -m bench` (make bench): every figure in one table; exits 1 when a request budget is broken."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from bench.ack_process import load_ack_figures
from bench.big_board import big_board_figures
from bench.databases import database_server
from bench.edit_burst import burst_figures
from bench.edit_figures import edit_latency_figures
from bench.emulator_writes import emulator_figures
from bench.planner import planner_figures, scale_figures
from bench.report import Figure, broken, mib, show
from bench.scale_pairs import QUICK_SCALE, ScaleSizes, pair_scale_figures
from bench.service_harness import running_service
from bench.service_process import service_process
from bench.startup import startup_figures
from bench.sync_runs import sync_figures
from bench.views import view_figures
from bench.webhook_figures import ack_figures, latency_figures


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs."""

    sync_cards: tuple[int, ...] = (1_000, 5_000)
    big_cards: int = 20_000
    big_archived: int = 15_000
    plan_cards: int = 10_000
    plan_scale: tuple[int, ...] = (10_000, 20_000, 50_000)
    view_cards: int = 1_000
    plan_repeat: int = 7
    startup_repeat: int = 5
    emulator_rows: int = 1_000
    service_cards: int = 200
    webhooks: int = 2_000
    alone_webhooks: int = 5_000
    moves: int = 50
    edits: int = 20
    burst: int = 50
    pairs: ScaleSizes = field(default_factory=ScaleSizes)


QUICK = Sizes(
    sync_cards=(50,),
    big_cards=1_100,
    big_archived=800,
    plan_cards=500,
    plan_scale=(500, 1_000),
    view_cards=60,
    plan_repeat=2,
    startup_repeat=1,
    emulator_rows=50,
    service_cards=20,
    webhooks=50,
    alone_webhooks=100,
    moves=3,
    edits=3,
    burst=10,
    pairs=QUICK_SCALE,
)


def process_figure() -> Figure:
    """The whole process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return Figure("Process", "peak resident memory (ru_maxrss)", mib(peak))


def collect(sizes: Sizes, *, service: bool = True, say: Console | None = None) -> list[Figure]:
    """Run every benchmark at `sizes`; figures in table order."""
    figures: list[Figure] = []
    if say:
        say.log("command-line start-up (fresh processes)")
    figures += startup_figures(sizes.startup_repeat)
    for cards in sizes.sync_cards:
        if say:
            say.log(f"sync runs at {cards:,} cards")
        figures += sync_figures(cards)
    if say:
        say.log(f"a big board of {sizes.big_cards:,} cards, {sizes.big_archived:,} of them archived")
    figures += big_board_figures(sizes.big_cards, sizes.big_archived)
    if say:
        say.log(f"plan() at {sizes.plan_cards:,} cards")
    figures += planner_figures(sizes.plan_cards, sizes.plan_repeat)
    if say:
        say.log(f"plan() growth over {', '.join(f'{n:,}' for n in sizes.plan_scale)} cards")
    figures += scale_figures(sizes.plan_scale)
    if say:
        say.log(f"Sheets emulator: {sizes.emulator_rows:,} rows written one request each")
    figures += emulator_figures(sizes.emulator_rows)
    if say:
        say.log(f"month grid at {sizes.view_cards:,} cards")
    figures += view_figures(sizes.view_cards, sizes.plan_repeat)
    if service:
        if say:
            say.log(f"service: {sizes.moves} card moves, then {sizes.webhooks:,} signed webhooks")
        with running_service(sizes.service_cards) as running:
            figures += latency_figures(running, sizes.moves)
            figures += ack_figures(running, sizes.webhooks)
            if say:
                say.log(f"service: {sizes.edits} sheet edits each way, then a burst of {sizes.burst}")
            figures += edit_latency_figures(running, sizes.edits, first=sizes.moves)
            figures += burst_figures(running, sizes.burst, first=sizes.service_cards - sizes.burst)
        if say:
            say.log(f"service in its own process on one core: {sizes.alone_webhooks:,} signed webhooks")
        with service_process(sizes.service_cards) as (alone, pinned, pid):
            if say:
                say.log(f"the service runs alone on {pinned}, the load from another process: '..., alone'")
            figures += load_ack_figures(alone, sizes.alone_webhooks, pinned, pid)
        scale, server = sizes.pairs, database_server()
        if say:
            say.log(
                f"{scale.pairs} pairs x {scale.cards} cards, 2 accounts, quota x{scale.scale:g}: 1, 2 serve"
                f" on {'PostgreSQL' if server else 'SQLite'}"
            )
        with tempfile.TemporaryDirectory(prefix="boardsheet-scale-") as tmp:
            figures += pair_scale_figures(Path(tmp), scale, server)
    figures.append(process_figure())
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Parse options, run, print the table; 1 when a budget broke."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, seconds)")
    parser.add_argument("--no-service", action="store_true", help="skip the webhook and latency figures")
    options = parser.parse_args(argv)
    os.environ.pop("GOOGLE_APPLICATION_CREDENTIALS", None)  # emulators only: never a real account
    console = Console()  # show() widens it to the table's widest row
    started = time.perf_counter()
    figures = collect(QUICK if options.quick else Sizes(), service=not options.no_service, say=console)
    title = f"boardsheet benchmarks ({'quick' if options.quick else 'full'} sizes, {os.cpu_count()} cores)"
    show(figures, title, console)
    console.print(f"{len(figures)} figures in {time.perf_counter() - started:,.0f} s")
    return 1 if broken(figures) else 0


if __name__ == "__main__":
    sys.exit(main())
