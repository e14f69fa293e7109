"""A webhook load generator in its own process: `python -m bench.ack_load REQUESTS.json`.

The service's acknowledgement rate is measured with the client elsewhere (another process, pinned to
another core when there is one), so the client's own work never counts against the service. Requests go
over `connections` keep-alive HTTP/1.1 connections, each sending its next request when the previous
answer has arrived (as Trello's deliveries do); a bare asyncio client keeps the generator's own cost per
request far below the service's. Prints {"elapsed": s, "latencies": [s, ...], "statuses": [int, ...]}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Load", "main", "request_bytes"]

PATH = "/webhooks/trello"


@dataclass(frozen=True)
class Load:
    """What one load run sends: to `host`:`port`, `requests` (raw HTTP/1.1) over `connections`."""

    host: str
    port: int
    connections: int
    requests: list[bytes]


def request_bytes(host: str, port: int, body: bytes, signature: str) -> bytes:
    """One signed POST /webhooks/trello on a keep-alive connection, as raw HTTP/1.1."""
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Trello-Webhook: {signature}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 answer whole; its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _connection(load: Load, queue: list[int], latencies: list[float], statuses: list[int]) -> None:
    """One keep-alive connection taking the next request index from `queue` until it is empty."""
    reader, writer = await asyncio.open_connection(load.host, load.port)
    try:
        while queue:
            index = queue.pop()
            sent = time.perf_counter()
            writer.write(load.requests[index])
            statuses[index] = await _answer(reader)
            latencies[index] = time.perf_counter() - sent
    finally:
        writer.close()


async def run(load: Load) -> dict[str, object]:
    """Send every request; elapsed seconds, each request's latency and status."""
    count = len(load.requests)
    queue = list(reversed(range(count)))
    latencies, statuses = [0.0] * count, [0] * count
    started = time.perf_counter()
    await asyncio.gather(*(_connection(load, queue, latencies, statuses) for _ in range(load.connections)))
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}


def read_load(path: Path) -> Load:
    """A load written by the bench: {"host", "port", "connections", "requests": [latin-1 text]}."""
    raw = json.loads(path.read_text())
    requests = [text.encode("latin-1") for text in raw["requests"]]
    return Load(raw["host"], int(raw["port"]), int(raw["connections"]), requests)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load in the file named by the one argument; print the result as JSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m bench.ack_load REQUESTS.json", file=sys.stderr)
        return 2
    print(json.dumps(asyncio.run(run(read_load(Path(args[0]))))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
