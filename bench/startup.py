"""Command-line start-up: seconds from spawning `boardsheet sync` to its first request, and `--help`.

Each figure spawns a fresh interpreter (bench/first_request.py) against a state store already at the
newest revision, as every run after the first finds it, and with every module's bytecode written, as an
installed package has it (a run that had to compile a module, its bytecode then written even when this
shell sets PYTHONDONTWRITEBYTECODE, is run again); the median of `repeat` runs. The APIs' addresses
are never reached: the probe stops the process at its first connect (the first request, to Trello).
Beside the wall time: the process's CPU seconds (less disturbed by other work on a shared machine), the
number of modules imported by then and the objects the garbage collector still walks (the import's are
frozen out of its sight, app/cli/lazy.py). Each sync alternates with its floor (bench/floor.py: its
third-party modules alone in a fresh interpreter), so both see the same load; the sync's CPU minus the
floor is boardsheet's own. `python -X importtime` gives the import share: the cumulative seconds
importing the console script and the sync command.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.store.store import Store
from bench.floor import floor
from bench.report import Figure, secs

SECTION = "Command line (a fresh process each)"
FIRST_REQUEST_TARGET = 0.5
ROOT = Path(__file__).resolve().parents[1]
CONFIG = """pairs:
  - name: calendar
    trello: {board: 5f1e2d3c4b5a69788796a5b4}
    sheet: {spreadsheet: 1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789, tab: Calendar}
    timezone: Europe/Paris
    columns:
      - {header: Title, field: name}
"""


@dataclass(frozen=True)
class Probe:
    """One fresh process: wall seconds from spawn, its CPU seconds, the modules it had imported, and the
    objects the cyclic garbage collector still walked (what the command's import left in its sight), and
    how many of those modules it compiled from source (their bytecode missing, or written by this run)."""

    seconds: float
    cpu: float
    modules: list[str]
    tracked: int
    compiled: int


def _env(directory: Path) -> dict[str, str]:
    """The environment of a sync whose APIs are never reached (the probe stops at the first connect)."""
    skipped = ("BOARDSHEET_", "TRELLO_", "GOOGLE_", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    return env | {
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{directory / 'state.db'}",
        "TRELLO_API_KEY": "emulator-key",
        "TRELLO_TOKEN": "token-ops",
        "TRELLO_API_URL": "http://127.0.0.1:9",
        "GOOGLE_SHEETS_API_URL": "http://127.0.0.1:9",
    }


def probe(directory: Path, *args: str, until: str = "first request") -> Probe:
    """`boardsheet ARGS` from spawn to its first request (`until`: or "exit").

    A store of its own each time: the probe stops the run holding its pair's lease.
    """
    directory.mkdir()
    Store(f"sqlite:///{directory / 'state.db'}").close()
    env = _env(directory) | {"BENCH_SPAWNED_AT": repr(time.time())}
    done = subprocess.run(
        [sys.executable, "-m", "bench.first_request", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.splitlines()[-1])
    if report["at"] != until:
        raise RuntimeError(f"boardsheet {' '.join(args)} stopped at {report['at']}, not at {until}")
    return Probe(
        float(report["seconds"]),
        float(report["cpu"]),
        list(report["modules"]),
        int(report["tracked"]),
        int(report["compiled"]),
    )


def import_seconds(directory: Path) -> float:
    """`python -X importtime`: cumulative seconds importing the console script and the sync command."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app.cli.main, app.cli.sync"],
        cwd=ROOT, env=_env(directory), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    total = 0
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] in ("app.cli.main", "app.cli.sync"):
            total += int(parts[1])
    return total / 1e6


def startup_figures(repeat: int = 5) -> list[Figure]:
    """Medians of `repeat` fresh processes: sync to its first request and its floor, --help, imports."""
    with tempfile.TemporaryDirectory(prefix="boardsheet-startup-") as tmp:
        directory = Path(tmp)
        config = directory / "boardsheet.yaml"
        config.write_text(CONFIG)
        syncs: list[Probe] = []
        floors = []
        for n in range(repeat):
            syncs.append(probe(directory / f"sync{n}", "sync", "-c", str(config)))
            if syncs[-1].compiled:  # it compiled modules (and wrote their bytecode): not counted, again
                syncs[-1] = probe(directory / f"sync{n}-again", "sync", "-c", str(config))
            floors.append(floor(syncs[-1].modules, ROOT, _env(directory)))
        helps = [probe(directory / f"help{n}", "--help", until="exit") for n in range(repeat)]
        imports = statistics.median(import_seconds(directory) for _ in range(repeat))
    first = statistics.median(p.seconds for p in syncs)
    cpu = statistics.median(p.cpu for p in syncs)
    least = statistics.median(f.cpu for f in floors)
    helped = statistics.median(p.seconds for p in helps)
    target = f"≤ {secs(FIRST_REQUEST_TARGET)}"
    runs = f"median of {repeat}"
    return [
        Figure(SECTION, f"boardsheet sync, {runs}: spawn to first request", secs(first), target,
               first <= FIRST_REQUEST_TARGET, "target"),
        Figure(SECTION, "boardsheet sync, same runs: CPU to first request", secs(cpu), target,
               cpu <= FIRST_REQUEST_TARGET, "target"),
        Figure(SECTION, "floor: the sync's third-party modules imported alone, same load: CPU", secs(least),
               f"{target} leaves room", least <= FIRST_REQUEST_TARGET, "target"),
        Figure(SECTION, "floor: third-party modules imported", f"{floors[0].modules - floors[0].failed:,}"),
        Figure(SECTION, "boardsheet's own CPU to first request (sync minus floor)", secs(cpu - least)),
        Figure(SECTION, "sync CPU to first request / floor", f"{cpu / least:.2f} times"),
        Figure(SECTION, "boardsheet sync: modules imported by its first request",
               f"{len(syncs[0].modules):,}"),
        Figure(SECTION, "boardsheet sync: modules it compiled from source",
               f"{syncs[0].compiled:,}"),
        Figure(SECTION, "boardsheet sync: objects the collector walks at its first request",
               f"{syncs[0].tracked:,}"),
        Figure(SECTION, f"boardsheet --help, {runs}: spawn to exit", secs(helped)),
        Figure(SECTION, "boardsheet --help: modules imported", f"{len(helps[0].modules):,}"),
        Figure(SECTION, "imports of sync (python -X importtime)", secs(imports)),
    ]  # fmt: skip
