"""Acknowledgements of the service alone: signed webhooks from a load generator in another process.

The service runs in its own process pinned to one core (service_process.py); the generator
(ack_load.py) runs pinned to the other cores, over several keep-alive connections, so the figure is what
one core of the service acknowledges, not what one Python client manages to send.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from app.web.signature import sign
from bench.ack_load import request_bytes
from bench.harness import SECRET
from bench.report import Figure, ms, secs
from bench.service_harness import Service
from bench.service_process import cpu_seconds
from bench.webhook_figures import (
    ACK_P99_TARGET,
    ACK_RATE_TARGET,
    SECTION,
    percentile,
    settled_counts,
    webhook_body,
)

__all__ = ["CONNECTIONS", "load_ack_figures"]

# Trello delivers a board's webhooks concurrently; eight connections keep one core busy without
# queueing more than p99 allows (8 in flight at 1,000/s is 8 ms each).
CONNECTIONS = 8
LOAD_TIMEOUT = 300.0


def _other_cores(service_core: str) -> set[int] | None:
    """The cores the generator may use: every core but the service's (None: leave it unpinned)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = set(os.sched_getaffinity(0))
    taken = {int(service_core.removeprefix("core "))} if service_core.startswith("core ") else set()
    return (cores - taken) or None


def run_load(service: Service, count: int, connections: int, service_core: str) -> dict[str, object]:
    """Send `count` signed webhooks from a child process; its result ({"elapsed", "latencies", ...})."""
    parts = urlsplit(service.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    card_id = service.ids["Post 00000"]
    requests = []
    for n in range(count):
        body = webhook_body(service, card_id, n)
        requests.append(request_bytes(host, port, body, sign(SECRET, body, service.callback)))
    with tempfile.TemporaryDirectory(prefix="boardsheet-load-") as tmp:
        path = Path(tmp) / "requests.json"
        load = {"host": host, "port": port, "connections": connections}
        path.write_text(json.dumps(load | {"requests": [r.decode("latin-1") for r in requests]}))
        cores = _other_cores(service_core)
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.ack_load", str(path)],
            stdout=subprocess.PIPE,
            # Pinned before it starts sending: the generator never shares the service's core.
            preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None,  # noqa: PLW1509
        )
        out, _ = child.communicate(timeout=LOAD_TIMEOUT)
    if child.returncode != 0:
        raise RuntimeError(f"the load generator exited {child.returncode}")
    result: dict[str, object] = json.loads(out)
    return result


def load_ack_figures(
    service: Service, count: int, service_core: str, pid: int, connections: int = CONNECTIONS
) -> list[Figure]:
    """Acknowledgements a second and p50/p99 of the service alone, with what the burst cost upstream.

    Besides the rate on the clock, the rate per CPU second the service process spent (pid's user +
    system time, the burst's debounced runs included): what one core of its own would sustain, steady
    while other processes share the machine.
    """
    service.clear()
    cpu_before = cpu_seconds(pid)
    result = run_load(service, count, connections, service_core)
    cpu_after = cpu_seconds(pid)
    elapsed = float(result["elapsed"])  # type: ignore[arg-type]
    latencies = [float(x) for x in result["latencies"]]  # type: ignore[attr-defined]
    statuses = [int(x) for x in result["statuses"]]  # type: ignore[attr-defined]
    counts = settled_counts(service)
    accepted, rate = statuses.count(200), count / elapsed
    p99 = percentile(latencies, 99)
    name = f"{count:,} signed webhooks, alone, {connections} connections"
    figures = [
        Figure(
            SECTION, f"{name}: accepted (200)", f"{accepted:,}", f"{count:,}", accepted == count, "budget"
        ),
        _rate(f"{name}: acknowledgements/s", rate),
    ]
    if cpu_before is not None and cpu_after is not None and cpu_after > cpu_before:
        figures.append(_rate(f"{name}: acknowledgements per CPU second of the service",
                             count / (cpu_after - cpu_before)))  # fmt: skip
    runs_allowed = int(elapsed) + 3  # debounced: about one run a second at most while the burst lasts
    trello, reads, writes = (counts.get(k, 0) for k in ("trello", "sheets_read", "sheets_write"))
    within = trello <= runs_allowed and writes <= runs_allowed
    return [
        *figures,
        Figure(SECTION, f"{name}: ack p50", ms(percentile(latencies, 50))),
        Figure(SECTION, f"{name}: ack p99", ms(p99), f"≤ {ms(ACK_P99_TARGET)}", p99 <= ACK_P99_TARGET,
               "target"),
        Figure(SECTION, f"{name}: API calls the burst caused", f"over {secs(elapsed)}",
               f"≤ {runs_allowed} Trello, ≤ 1 write per run", within, "budget", trello, reads, writes),
    ]  # fmt: skip


def _rate(name: str, rate: float) -> Figure:
    """An acknowledgement rate against its target (shown, never failing: noisy shared cores)."""
    return Figure(SECTION, name, f"{rate:,.0f} req/s", f"≥ {ACK_RATE_TARGET:,.0f} req/s",
                  rate >= ACK_RATE_TARGET, "target")  # fmt: skip
