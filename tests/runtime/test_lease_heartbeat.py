"""The run lease's heartbeat and expiry on a fake clock: renewed, a live holder keeps it; unrenewed (a hung
holder), it lapses after the TTL, is taken over, and the old holder finds out before it writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.errors import LeaseLost
from app.runtime.lease import Lease
from app.store.store import Store
from tests.support.clock import FakeClock

TTL = timedelta(seconds=30)
STEP = TTL / 3  # the heartbeat's interval


def clocked(store_url: str) -> tuple[FakeClock, Store]:
    clock = FakeClock(datetime(2026, 12, 1, 10, 42, tzinfo=UTC).timestamp())
    return clock, Store(store_url, clock=clock.datetime)


def test_a_renewed_lease_is_never_taken_over(store_url: str) -> None:
    clock, store = clocked(store_url)
    with store:
        holder = Lease(store, "calendar", TTL, clock=clock)
        assert holder.take()
        for _ in range(30):  # ten TTLs, one beat every third of it
            clock.advance(STEP)
            assert holder.beat()
            assert not Lease(store, "calendar", TTL, clock=clock).take()
        holder.ensure_held()
        assert holder.beats == 30
        holder.release()


def test_an_unrenewed_lease_lapses_and_its_holder_cannot_write(store_url: str) -> None:
    clock, store = clocked(store_url)
    with store:
        hung = Lease(store, "calendar", TTL, clock=clock)
        assert hung.take()
        clock.advance(TTL - timedelta(seconds=1))
        assert not Lease(store, "calendar", TTL, clock=clock).take()
        clock.advance(timedelta(seconds=1))
        with pytest.raises(LeaseLost):  # before anyone took it: past the TTL it is no longer surely ours
            hung.ensure_held()
        taker = Lease(store, "calendar", TTL, clock=clock)
        if store.session_lock("calendar") is None:  # SQLite: the expiry frees the pair
            assert taker.take()
            assert not hung.beat()  # the hung holder wakes up: its lease is gone
            with pytest.raises(LeaseLost):
                hung.ensure_held()
            taker.release()
        hung.release()
