"""A run lease held by a process killed with SIGKILL is taken over within seconds, on SQLite and PostgreSQL.

Before the heartbeat, the liveness check and the session lock, the dead holder's 10-minute lease kept the
pair refused for ten minutes (issue 13, section 1).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from app.runtime.lease import LEASE_TTL, Lease
from app.store.store import Store

pytestmark = pytest.mark.http  # starts processes (and, in the PostgreSQL variant, opens sockets)

HOLD = """
import sys, time
from datetime import timedelta
from app.runtime.lease import Lease
from app.store.store import Store
store = Store(sys.argv[1])
lease = Lease(store, "calendar", timedelta(seconds=float(sys.argv[2])))
assert lease.take()
lease.start_heartbeat()
print("held", flush=True)
time.sleep(600)
"""
POLL = 0.1  # seconds between two attempts to take the lease


def holding_process(store_url: str, ttl: float) -> subprocess.Popen[str]:
    """A process holding pair "calendar"'s lease (heartbeat running) once this returns."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, store_url, str(ttl)], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def polls_to_take(lease: Lease, limit: int) -> int:
    """Attempts until `lease.take()` succeeds (at most `limit`, POLL s apart); limit + 1 if it never did."""
    for attempt in range(1, limit + 1):
        if lease.take():
            return attempt
        time.sleep(POLL)
    return limit + 1


def test_a_killed_holders_lease_is_taken_over_within_seconds(store_url: str) -> None:
    with Store(store_url) as store:
        child = holding_process(store_url, LEASE_TTL.total_seconds())
        try:
            assert not Lease(store, "calendar").take()  # alive: refused
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            taker = Lease(store, "calendar")
            # The TTL is 30 s: taking over within 5 s (50 polls) proves the holder was found dead, not lapsed.
            polls = polls_to_take(taker, limit=50)
            assert polls <= 50, "the killed holder's lease was not taken over within 50 polls"
            taker.release()
        finally:
            child.kill()
            child.wait(timeout=30)
            assert child.stdout is not None
            child.stdout.close()


def test_a_killed_but_unreaped_holder_is_dead_too(store_url: str) -> None:
    if not store_url.startswith("sqlite"):
        pytest.skip("the process check is SQLite's; PostgreSQL ends the session either way")
    with Store(store_url) as store:
        child = holding_process(store_url, LEASE_TTL.total_seconds())
        try:
            child.send_signal(signal.SIGKILL)
            # Not reaped: the holder is a zombie until wait(); its pid and start time are still there.
            taker = Lease(store, "calendar")
            assert polls_to_take(taker, limit=50) <= 50
            taker.release()
        finally:
            child.kill()
            child.wait(timeout=30)
            assert child.stdout is not None
            child.stdout.close()


def test_a_live_holder_with_a_long_run_is_never_overtaken(store_url: str) -> None:
    ttl = 2.4
    with Store(store_url) as store, Store(store_url) as other:
        holder = Lease(store, "calendar", timedelta(seconds=ttl))
        assert holder.take()
        holder.start_heartbeat()
        try:
            # Three TTLs of attempts from another Store: the heartbeat keeps the lease alive throughout.
            attempts = int(3 * ttl / POLL)
            assert polls_to_take(Lease(other, "calendar", timedelta(seconds=ttl)), attempts) == attempts + 1
            assert holder.beats >= 2
            assert holder.held()
        finally:
            holder.release()
        after = Lease(other, "calendar")
        assert after.take()
        after.release()


def test_a_hung_holders_session_is_ended_by_the_server(store_url: str) -> None:
    if store_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's idle_session_timeout; on SQLite a hung holder's lease lapses")
    with Store(store_url) as store, Store(store_url) as other:
        hung = store.session_lock("calendar", idle_timeout=1.0)
        assert hung is not None and hung.take()
        try:
            assert polls_to_lock(other, limit=1) == 2  # held
            # No ping for over a second: the server ends the session, and the lock with it.
            assert polls_to_lock(other, limit=100) <= 100
            assert not hung.alive()
        finally:
            hung.release()


def polls_to_lock(store: Store, limit: int) -> int:
    """Attempts until the pair's session lock is taken (then released), POLL s apart; limit + 1 if never."""
    for attempt in range(1, limit + 1):
        lock = store.session_lock("calendar")
        assert lock is not None
        if lock.take():
            lock.release()
            return attempt
        time.sleep(POLL)
    return limit + 1
