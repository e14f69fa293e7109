"""The crash of a soak: `kill -9` of the replica holding the pair's run lease, mid-burst, and its restart."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from bench.soak.replicas import Replica, lease_holder

LEASE_POLL = 0.01  # runs are short: the lease is looked at every 10 ms to catch its holder
CATCH_TIMEOUT = 30.0


@dataclass
class Kill:
    """The kill -9 of the lease holder: whether it held the lease then, and how soon a run took over."""

    caught: bool = False
    takeover: float | None = None  # seconds from the kill to a live replica holding the lease
    restarted: float | None = None  # seconds from the kill to the killed replica answering again


def kill_holder(replicas: list[Replica], engine: sa.Engine, restart_after: float) -> Kill:
    """Kill -9 the replica holding the pair's lease (the first one if none is caught), restart it."""
    kill = Kill()
    deadline = time.monotonic() + CATCH_TIMEOUT
    victim = replicas[0]
    while time.monotonic() < deadline:
        holder = lease_holder(engine)
        found = [r for r in replicas if r.pid is not None and r.pid == holder]
        if found:
            victim, kill.caught = found[0], True
            break
        time.sleep(LEASE_POLL)
    victim.kill()
    killed_at = time.monotonic()
    restarted = False
    while time.monotonic() - killed_at < CATCH_TIMEOUT * 4:
        if not restarted and time.monotonic() - killed_at >= restart_after:
            victim.start()
            restarted = True
            kill.restarted = time.monotonic() - killed_at
        holder = lease_holder(engine)
        if holder is not None and any(r.pid == holder for r in replicas):
            kill.takeover = time.monotonic() - killed_at
            break
        time.sleep(LEASE_POLL)
    if not restarted:
        time.sleep(max(0.0, restart_after - (time.monotonic() - killed_at)))
        victim.start()
        kill.restarted = time.monotonic() - killed_at
    return kill
