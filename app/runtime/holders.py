"""Who holds a run lease, and whether that process is still alive on this machine.

A holder's name is `host:pid:boot:start:random`: the machine's name, the process id, this boot's id with
the pid namespace, the process's start time (clock ticks since boot, from /proc/PID/stat) and a random
part unique to the run. Another process on the same machine and boot can then tell, without waiting for a
lease to lapse, that the holder is gone: no such pid, a zombie, or the pid reused by a later process. A
name it cannot judge (another machine, another container, an older version's `host:pid:random`) is
treated as alive, and only its lease's expiry frees the pair.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Process", "holder_is_dead", "holder_name", "this_process"]

PROC = Path("/proc")
UNKNOWN = "-"


@dataclass(frozen=True)
class Process:
    """One process as a lease names it; `boot` and `start` are UNKNOWN where /proc is missing."""

    host: str
    pid: int
    boot: str
    start: str


def _read(path: Path) -> str | None:
    """A small /proc file's text, None when it cannot be read."""
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None


def _boot() -> str:
    """This boot's id (proc(5): /proc/sys/kernel/random/boot_id) and the pid namespace's inode."""
    boot_id = _read(PROC / "sys/kernel/random/boot_id")
    try:
        namespace = (PROC / "self/ns/pid").stat().st_ino
    except OSError:
        return UNKNOWN
    return f"{boot_id}.{namespace}" if boot_id else UNKNOWN


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in ticks) of a process, /proc/PID/stat fields 3 and 22 (proc(5)); None if gone."""
    text = _read(PROC / str(pid) / "stat")
    if text is None:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after its last ")".
    fields = text.rpartition(")")[2].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def this_process() -> Process:
    """The calling process."""
    pid = os.getpid()
    stat = _stat(pid)
    return Process(socket.gethostname(), pid, _boot(), stat[1] if stat else UNKNOWN)


def holder_name(process: Process | None = None) -> str:
    """A lease holder's name for one run of `process` (the caller by default)."""
    p = process or this_process()
    return f"{p.host}:{p.pid}:{p.boot}:{p.start}:{uuid.uuid4().hex}"


def parse(holder: str) -> Process | None:
    """The process a holder's name names, None for a name of another shape."""
    parts = holder.rsplit(":", 4)
    if len(parts) != 5 or not parts[1].isdigit():
        return None
    host, pid, boot, start, _ = parts
    return Process(host, int(pid), boot, start)


def holder_is_dead(holder: str, me: Process | None = None) -> bool:
    """True only when `holder` surely is a process of this machine and boot that no longer runs."""
    named, me = parse(holder), me or this_process()
    if named is None or UNKNOWN in (named.boot, me.boot) or (named.host, named.boot) != (me.host, me.boot):
        return False
    stat = _stat(named.pid)
    if stat is None:
        return True  # no such process
    state, start = stat
    # A zombie (Z) or dead (X) task has exited; a different start time means the pid was reused.
    return state in ("Z", "X") or named.start not in (UNKNOWN, start)
