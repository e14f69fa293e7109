"""The floor under a sync's start-up: the third-party libraries it imports, alone in a fresh interpreter.

`boardsheet sync` cannot reach its first request in less CPU than importing the libraries it runs on
(Typer, pydantic, SQLAlchemy, requests and py-trello, google-auth...), so that import, measured here
from the very module names the sync had imported by its first request (bench/first_request.py), is its
floor on this machine. Minus boardsheet's own modules and everything boardsheet does at run time, the
standard library's modules only boardsheet imports, and with the collector off: a lower bound. The rest
of the sync's CPU to its first request is boardsheet's own overhead.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OWN = frozenset({"app", "connectors", "bench"})

# Run by a fresh interpreter: import each name read from stdin, then print the CPU seconds spent since
# the interpreter started (its own start-up included, as in the sync's figure) and how many failed.
_IMPORTS = """
import gc, importlib, sys, time
gc.disable()
failed = 0
for name in sys.stdin.read().split():
    try:
        importlib.import_module(name)
    except Exception:
        failed += 1
print(time.process_time(), failed)
"""


@dataclass(frozen=True)
class Floor:
    """One fresh interpreter's CPU seconds importing `modules` names, and how many would not import alone
    (names an extension registers for itself, as cryptography's `_openssl`: loaded with their parent)."""

    cpu: float
    modules: int
    failed: int


def third_party(modules: Iterable[str]) -> list[str]:
    """The names in `modules` that are neither boardsheet's nor the standard library's (nor `__main__`)."""
    tops = {m: m.split(".")[0] for m in modules}
    ignored = OWN | sys.stdlib_module_names
    return sorted(m for m, top in tops.items() if top not in ignored and not top.startswith("__"))


def floor(modules: Iterable[str], cwd: Path, env: dict[str, str]) -> Floor:
    """A fresh interpreter importing `third_party(modules)`: its CPU seconds by the end."""
    names = third_party(modules)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS],
        input="\n".join(names), cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    cpu, failed = done.stdout.split()
    return Floor(float(cpu), len(names), int(failed))
