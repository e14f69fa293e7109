"""`python -m bench.first_request ARGS...`: run `boardsheet ARGS...` until it opens its first socket.

Prints one JSON line on stdout then exits: `seconds` from the moment the parent spawned this process
(BENCH_SPAWNED_AT, a time.time() value) to the first socket.connect (the first request), `cpu`, this
process's CPU seconds until then (less disturbed than wall time by other work on the machine), and
`modules`, the imported module names at that moment, and `tracked`, how many objects the cyclic garbage
collector still walks then (gc.get_objects(): what `gc.freeze()` moved out is not counted), and
`compiled`, how many of those modules this process compiled from source (no bytecode file, as in an
install without it that cannot write one, or one written since the spawn). A command that never
connects reports where it ended.
The socket is seen through an audit hook (https://docs.python.org/3/library/audit_events.html,
event "socket.connect"), so nothing in boardsheet is patched.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _compiled(module: object, spawned: float) -> bool:
    """True for a module loaded from source whose bytecode file is missing or was written since `spawned`."""
    cached = getattr(getattr(module, "__spec__", None), "cached", None)
    if not isinstance(cached, str):
        return False  # built in, an extension, or a namespace package: nothing to compile
    try:
        return Path(cached).stat().st_mtime >= spawned
    except OSError:
        return True


def _report(where: str) -> None:
    """The one JSON line, then a hard exit (no atexit work counted or run)."""
    spawned = float(os.environ.get("BENCH_SPAWNED_AT", "0") or 0)
    line = {
        "at": where,
        "seconds": time.time() - spawned,
        "cpu": time.process_time(),
        "modules": sorted(sys.modules),
        "tracked": len(gc.get_objects()),
        "compiled": sum(1 for m in list(sys.modules.values()) if _compiled(m, spawned)),
    }
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    """At the first TCP connect: report."""
    if event == "socket.connect" and isinstance(args[1], tuple):
        _report("first request")


def main(argv: list[str]) -> None:
    """Run the console script's entry point with `argv` under the hook."""
    sys.addaudithook(_hook)
    from app.cli.main import main as boardsheet

    sys.argv = ["boardsheet", *argv]
    with contextlib.suppress(SystemExit):
        boardsheet()
    _report("exit")


if __name__ == "__main__":
    main(sys.argv[1:])
