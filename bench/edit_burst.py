"""The Trello writes a burst of sheet edits causes: a stakeholder moves `count` cards by typing into their
two-way Status cells one after another, as fast as the API answers, with instant hints and Drive push on.

The design's promise (issue 10 §5, DESIGN.md budgets): one `PUT /1/cards/{id}` per accepted edit, and
the runs that Trello's webhooks for our own writes ask for (echoes) write nothing. Counted from the
emulators' request logs once the service is quiet: the stakeholder's own `values` writes and the bench's
polling are left out, Drive calls are counted apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.edit_figures import PUSH_DELAY, edit_status, next_list, share, signals, status_row
from bench.report import Figure
from bench.service_harness import Service
from bench.webhook_figures import DEBOUNCE, SECTION

SETTLE_TIMEOUT = 120.0  # the Sheets quota (60 a minute) spaces runs 2 s apart at least
QUIET = 2 * DEBOUNCE + 2.0  # no new request for this long: the runs the burst asked for are done


@dataclass(frozen=True)
class BurstCounts:
    """What the service did after the burst: Trello card PUTs, runs, Sheets reads and writes."""

    puts: int
    runs: int
    sheets_reads: int
    sheets_writes: int


def _logs(service: Service) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    trello = httpx.get(f"{service.trello_url}/_emulator/requests").json()
    sheets = httpx.get(f"{service.sheets_url}/_emulator/requests").json()
    return trello, sheets


def burst_counts(service: Service) -> BurstCounts:
    """The service's requests since the logs were cleared; a run is its one board read."""
    trello, sheets = _logs(service)
    board = f"/1/boards/{service.board_id}"
    ours = [e for e in sheets if not e["path"].startswith("/drive/") and "/values/" not in e["path"]]
    writes = sum(1 for e in ours if e["method"] == "POST" and e["path"].endswith(":batchUpdate"))
    return BurstCounts(
        puts=sum(1 for e in trello if e["method"] == "PUT" and e["path"].startswith("/1/cards/")),
        runs=sum(1 for e in trello if e["method"] == "GET" and e["path"] == board),
        sheets_reads=len(ours) - writes,
        sheets_writes=writes,
    )


def _moved(service: Service, trello: httpx.Client, targets: dict[str, str]) -> int:
    """How many cards are in their target list now (one board-cards read, not counted as a run)."""
    cards = trello.get(f"/1/boards/{service.board_id}/cards", params={"fields": "idList"}).json()
    return sum(1 for c in cards if targets.get(c["id"]) == c["idList"])


def _settle(service: Service, targets: dict[str, str]) -> int:
    """Wait until every card moved and no request came for QUIET s; how many cards moved."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    with service.trello() as trello:
        moved = _moved(service, trello, targets)
        last = burst_counts(service)
        while time.monotonic() < deadline:
            time.sleep(QUIET)
            moved, latest = _moved(service, trello, targets), burst_counts(service)
            if moved == len(targets) and latest == last:
                break
            last = latest
    return moved


def burst_figures(service: Service, count: int, first: int) -> list[Figure]:
    """`count` two-way edits on cards `first`.., each its own values write; what they cost upstream."""
    with httpx.Client(timeout=10) as http:
        http.headers["Authorization"] = "Bearer bench-owner"
        share(service, http)
        rows = service.sheet(http)
        plan = {}
        for n in range(first, first + count):
            card_id = service.ids[f"Post {n:05d}"]
            row, current = status_row(rows, card_id)
            plan[card_id] = (row, next_list(current))
        signals(service, http, instant=True, push_delay=PUSH_DELAY)
        service.clear()
        for row, target in plan.values():
            edit_status(service, http, row, target)
    moved = _settle(service, {card: service.ids[target] for card, (_row, target) in plan.items()})
    counts = burst_counts(service)
    name = f"burst of {count} sheet edits"
    echoes = max(0, counts.puts - moved)
    return [
        Figure(SECTION, f"{name}: cards moved", f"{moved}", f"{count}", moved == count, "budget"),
        Figure(
            SECTION, f"{name}: Trello PUTs", f"{counts.puts}", f"≤ {count} (1 per accepted edit)",
            counts.puts <= count, "budget", trello=counts.puts,
        ),
        Figure(SECTION, f"{name}: echo PUTs", f"{echoes}", "0", echoes == 0, "budget"),
        Figure(
            SECTION, f"{name}: runs until quiet", f"{counts.runs}", "≤ 1 Sheets read, ≤ 1 write per run",
            counts.sheets_reads <= counts.runs and counts.sheets_writes <= counts.runs, "budget",
            sheets_reads=counts.sheets_reads, sheets_writes=counts.sheets_writes,
        ),
    ]  # fmt: skip
