"""Issue 13 §4: many pairs on two service accounts, on one replica and on two (scale_world.py).

Measured from outside: each pair's first full sync from the store's runs table (the replicas share one
store: PostgreSQL when a server is given, else SQLite), the Sheets requests each account made from the
emulator's request log (spreadsheet -> account, as the service spread them), and one busy pair's webhook →
sheet latency while the others reconcile on their timers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.core.schedule import start_offsets
from app.runtime.registration import callback_url
from app.store.tables import runs
from bench.databases import store_name
from bench.harness import OPS
from bench.report import Figure, secs
from bench.scale_world import DEFAULT_RECONCILE, GOOGLE_PER_USER, ScaleWorld, replicas, scale_world
from bench.service_harness import Service, wait_until
from bench.webhook_figures import LATENCY_P95_TARGET, MOVE_PACE, move_and_wait, percentile

SPREADSHEET = re.compile(r"^/v4/spreadsheets/([^/:]+)")
# How often the store is asked whether every pair has synced: the figure comes from the runs' own
# timestamps, so a slower poll loses no precision and keeps the bench's queries off the replicas' store.
POLL = 0.5


@dataclass(frozen=True)
class ScaleSizes:
    """How big the scale bench runs: pairs x cards, quota scale, busy-pair moves."""

    pairs: int = 200
    cards: int = 50
    scale: float = 5.0
    moves: int = 10


QUICK_SCALE = ScaleSizes(pairs=6, cards=5, scale=30.0, moves=2)


def _first_syncs(engine: sa.Engine) -> dict[str, float]:
    """Each pair's first successful run's end (epoch seconds), from the replicas' shared store."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("runs"):
            return {}
        rows = connection.execute(
            sa.select(runs.c.pair, runs.c.finished_at).where(runs.c.outcome.in_(("ok", "noop")))
        ).all()
    done: dict[str, float] = {}
    for pair, finished in rows:
        done[pair] = min(done.get(pair, float("inf")), finished.timestamp())
    return done


def _peak_per_minute(times: Sequence[float]) -> int:
    """The most of `times` within any 60 s."""
    ordered, peak, start = sorted(times), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] > 60:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def _account_load(world: ScaleWorld, log: list[dict[str, object]]) -> tuple[dict[tuple[str, str], int], int]:
    """Peak Sheets requests a minute per account and kind (served ones), and how many were refused (429).

    Google meters reads and writes in separate per-user quotas, and so does the service's limiter: a GET
    is a read, anything else a write (the service reads with spreadsheets.get, writes with batchUpdate).
    """
    account_of_sheet = {world.spreadsheets[p]: world.account_of[p] for p in world.pairs}
    served: dict[tuple[str, str], list[float]] = {
        (name, kind): [] for name in set(world.account_of.values()) for kind in ("read", "write")
    }
    refused = 0
    for entry in log:
        found = SPREADSHEET.match(str(entry["path"]))
        # The bench's own polls of the busy pair's sheet (values.get, as a stakeholder) are not the
        # service's: it reads with spreadsheets.get and writes with batchUpdate only.
        if "/values/" in str(entry["path"]) or found is None or found.group(1) not in account_of_sheet:
            continue
        if entry["status"] == 429:
            refused += 1
        else:
            kind = "read" if entry["method"] == "GET" else "write"
            served[(account_of_sheet[found.group(1)], kind)].append(float(entry["time"]))  # type: ignore[arg-type]
    return {key: _peak_per_minute(times) for key, times in sorted(served.items())}, refused


def _answers(url: str) -> bool:
    """True once the service at `url` answers /healthz."""
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _hooked(world: ScaleWorld, url: str, board: str) -> bool:
    """True once the busy pair's board has an active webhook calling `url` back."""
    hooks = httpx.get(
        f"{world.trello_url}/1/tokens/{OPS}/webhooks", params={"key": "emulator-key", "token": OPS}
    )
    return any(
        h.get("callbackURL") == callback_url(url) and h.get("idModel") == board and h.get("active")
        for h in hooks.json()
    )


def scale_run(world: ScaleWorld, count: int, moves: int) -> list[Figure]:
    """Start `count` replicas, wait for every pair's first full sync, then move cards of the busy pair."""
    section = (
        f"Scale: {len(world.pairs)} pairs x {world.cards} cards, 2 accounts, quota x{world.scale:g}, "
        f"{store_name(world.database_url)} store"
    )
    where = f"{count} replica{'s' if count > 1 else ''}"
    httpx.delete(f"{world.sheets_url}/_emulator/requests").raise_for_status()
    every = DEFAULT_RECONCILE / world.scale
    offsets = start_offsets((pair, every) for pair in world.pairs)
    with replicas(world, count) as urls:
        # From the moment the first replica answers: its coordinators start with it (the lifespan), and
        # how long a process takes to import and migrate is another figure (start-up).
        wait_until(lambda: _answers(urls[0]), 120, "the first replica")
        started = time.time()
        limit = every * 4 + 120
        # One engine for every poll: a new one each time would open a connection (PostgreSQL) per poll.
        engine = sa.create_engine(world.database_url)
        try:
            everyone = set(world.pairs)
            wait_until(lambda: _first_syncs(engine).keys() >= everyone, limit, "every first sync", POLL)
            done = _first_syncs(engine)
        finally:
            engine.dispose()
        busy = world.pairs[0]
        wait_until(lambda: _hooked(world, urls[0], world.ids[busy][f"Board {busy}"]), 60, "the webhook")
        service = Service(
            urls[0], world.trello_url, world.sheets_url, world.ids[busy], world.spreadsheets[busy]
        )
        latencies: list[float | None] = []
        # The stakeholder polling the sheet has the emulator's scaled per-user read quota too: keep within it.
        poll_every = 1.1 * 60 / (GOOGLE_PER_USER * world.scale)
        with service.trello() as trello, httpx.Client(timeout=10) as sheets:
            for n in range(moves):
                paced = time.monotonic()
                latencies.append(move_and_wait(service, trello, sheets, n, poll_every))
                time.sleep(max(0.0, paced + MOVE_PACE - time.monotonic()))
        log = httpx.get(f"{world.sheets_url}/_emulator/requests").json()
    full = max(done.values()) - started
    waited = max(done[p] - (started + offsets[p]) for p in world.pairs)
    peaks, refused = _account_load(world, log)
    cap = round(GOOGLE_PER_USER * world.scale)  # per kind, as Google's quota and the service's limiter
    seen = [s for s in latencies if s is not None]
    p95 = percentile(seen, 95) if seen else float("inf")
    return [
        Figure(
            section,
            f"{where}: first full sync of every pair",
            secs(full),
            f"starts spread over {secs(max(offsets.values()))}",
        ),
        Figure(section, f"{where}: longest a pair waited past its start offset", secs(waited)),
        *[
            Figure(
                section,
                f"{where}: peak Sheets {kind}s/min, account {name}",
                f"{peak:,}",
                f"≤ {cap:,} (60 x {world.scale:g})",
                peak <= cap,
                "target",
            )
            for (name, kind), peak in peaks.items()
        ],
        Figure(
            section, f"{where}: Sheets answers 429 (over quota)", f"{refused:,}", "0", refused == 0, "target"
        ),
        Figure(
            section,
            f"{where}: busy pair, webhook → sheet shown",
            f"{len(seen)}",
            f"{moves}",
            len(seen) == moves,
            "budget",
        ),
        Figure(
            section,
            f"{where}: busy pair, webhook → sheet p95",
            secs(p95),
            f"≤ {secs(LATENCY_P95_TARGET)}",
            p95 <= LATENCY_P95_TARGET,
            "target",
        ),
    ]


def pair_scale_figures(directory: Path, sizes: ScaleSizes, server: str | None) -> list[Figure]:
    """The scale figures on one replica, then on two, each from a fresh world and store (a first sync
    each); the store on PostgreSQL `server`, else SQLite."""
    figures: list[Figure] = []
    for count in (1, 2):
        where = directory / f"replicas-{count}"
        with scale_world(where, sizes.pairs, sizes.cards, sizes.scale, server) as world:
            figures += scale_run(world, count, sizes.moves)
    return figures
