"""The service in its own process, pinned to one core: `python -m app serve`, as operators run it.

The in-process figures (service_harness.py) share one interpreter and its GIL with the client and both
emulators; these measure the service alone. The emulators stay in the bench process. Same pair, same two-way
columns as there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.harness import KEY, OPS, SECRET, config_yaml, emulators
from bench.harness import seed as seed_world
from bench.service_harness import Service, _ready
from connectors.emulators.synthetic import BOARD

STOP_TIMEOUT = 10.0
LOG_TAIL = 4000  # characters of the service's log shown when it never got ready


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(directory: Path, trello_url: str, sheets_url: str, public_url: str) -> dict[str, str]:
    """The service's environment: the emulators, a SQLite store in `directory`, no real account."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDSHEET_", "TRELLO_", "GOOGLE_"))}
    return env | {
        "TRELLO_API_KEY": KEY,
        "TRELLO_TOKEN": OPS,
        "TRELLO_APP_SECRET": SECRET,
        "TRELLO_API_URL": trello_url,
        "GOOGLE_SHEETS_API_URL": sheets_url,
        "BOARDSHEET_PUBLIC_URL": public_url,
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{directory / 'boardsheet.db'}",
    }


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) process `pid` has used so far (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pin(pid: int) -> str:
    """Pin `pid` to the first core it may use (Linux); the core, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(pid, {core})
    return f"core {core}"


@contextmanager
def service_process(cards: int) -> Iterator[tuple[Service, str, int]]:
    """Emulators here, the service in a child process on one core; (service, where it is pinned, pid)."""
    with (
        tempfile.TemporaryDirectory(prefix="boardsheet-bench-") as tmp,
        emulators() as (t_app, _s_app, trello_url, sheets_url),
        (Path(tmp) / "service.log").open("w+") as log,
    ):
        ids, spreadsheet_id = seed_world(t_app, sheets_url, cards)
        config = Path(tmp) / "boardsheet.yaml"
        config.write_text(config_yaml(ids[BOARD], spreadsheet_id, two_way=True))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        child = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "-c", str(config)],
            env=_env(Path(tmp), trello_url, sheets_url, url),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            pinned = _pin(child.pid)
            service = Service(url, trello_url, sheets_url, ids, spreadsheet_id)
            try:
                _ready(service, cards)
            except RuntimeError as exc:  # say why: the service's own log, not only "timed out"
                raise RuntimeError(
                    f"{exc}; the service logged:\n{Path(log.name).read_text()[-LOG_TAIL:]}"
                ) from exc
            yield service, pinned, child.pid
        finally:
            child.terminate()
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
