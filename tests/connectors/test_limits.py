"""The sliding-window rate limiter, on a fake clock (nothing really sleeps)."""

from __future__ import annotations

import itertools
import threading

import pytest

from connectors.limits import RateLimiter
from tests.support.clock import FakeClock


def limiter(clock: FakeClock, max_calls: int = 3, period: float = 10.0) -> RateLimiter:
    return RateLimiter(max_calls, period, clock=clock, sleep=clock.sleep)


def test_admits_up_to_max_calls_without_waiting() -> None:
    clock = FakeClock()
    lim = limiter(clock)
    for _ in range(3):
        lim.acquire()
    assert clock.sleeps == []
    assert lim.in_window() == 3


def test_waits_until_the_oldest_call_leaves_the_window() -> None:
    clock = FakeClock()
    lim = limiter(clock)
    lim.acquire()
    clock.advance(4)
    lim.acquire()
    lim.acquire()
    admitted = lim.acquire()
    # The first call (t=1000) leaves the 10 s window at t=1010.
    assert admitted == pytest.approx(1010.0)
    assert sum(clock.sleeps) == pytest.approx(10.0)


def test_window_slides_so_old_calls_stop_counting() -> None:
    clock = FakeClock()
    lim = limiter(clock)
    for _ in range(3):
        lim.acquire()
    clock.advance(10.5)
    assert lim.in_window() == 0
    before = len(clock.sleeps)
    lim.acquire()
    assert len(clock.sleeps) == before


def test_try_acquire_never_waits() -> None:
    clock = FakeClock()
    lim = limiter(clock, max_calls=1)
    assert lim.try_acquire() is True
    assert lim.try_acquire() is False
    assert clock.sleeps == []


def test_hold_delays_the_next_call_even_with_room() -> None:
    clock = FakeClock()
    lim = limiter(clock, max_calls=100)
    lim.hold(2.5)
    assert lim.acquire() == pytest.approx(1002.5)


def test_no_window_ever_holds_more_than_max_calls_across_threads() -> None:
    clock = FakeClock()
    lim = limiter(clock, max_calls=5, period=1.0)
    admitted: list[float] = []
    admitted_lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            at = lim.acquire()
            with admitted_lock:
                admitted.append(at)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    admitted.sort()
    assert len(admitted) == 80
    # Any max_calls + 1 consecutive admissions must span at least one full period.
    for first, last in zip(admitted, admitted[5:], strict=False):
        assert last - first >= 1.0 - 1e-9


@pytest.mark.parametrize(("max_calls", "period"), [(0, 1.0), (1, 0.0), (-1, 5.0)])
def test_rejects_meaningless_limits(max_calls: int, period: float) -> None:
    with pytest.raises(ValueError, match="max_calls"):
        RateLimiter(max_calls, period)


def test_burst_spreads_a_busy_minute_instead_of_stalling() -> None:
    clock = FakeClock()
    smooth = RateLimiter(60, 60.0, burst=4, clock=clock, sleep=clock.sleep)
    admitted = [smooth.acquire() for _ in range(120)]
    waits = [b - a for a, b in itertools.pairwise(admitted)]
    assert max(waits) <= 4.0  # never the 60 s stall a plain window gives once its quota is spent
    for i, start in enumerate(admitted):  # still at most 60 in any 60 s and 4 in any 4 s
        assert sum(1 for t in admitted[i:] if t < start + 60.0) <= 60
        assert sum(1 for t in admitted[i:] if t < start + 4.0) <= 4

    clock2 = FakeClock()
    plain = RateLimiter(60, 60.0, clock=clock2, sleep=clock2.sleep)
    plain_admitted = [plain.acquire() for _ in range(61)]
    assert plain_admitted[60] - plain_admitted[59] == pytest.approx(60.0)  # the stall burst avoids


def test_shared_limiters_are_one_per_identity_and_endpoint() -> None:
    from connectors.limits import shared_limiter

    first = shared_limiter("alice-token", "https://api.example", 10, 1.0)
    assert shared_limiter("alice-token", "https://api.example", 10, 1.0) is first
    assert shared_limiter("bob-token", "https://api.example", 10, 1.0) is not first
    assert shared_limiter("alice-token", "http://127.0.0.1:1", 10, 1.0) is not first
    # Other limits for the same identity would let two connectors each spend the whole quota: refused.
    with pytest.raises(ValueError, match="already allows 10 calls per 1 s"):
        shared_limiter("alice-token", "https://api.example", 20, 1.0)


def test_a_parent_limiter_caps_the_sum_of_its_children() -> None:
    clock = FakeClock()
    start = clock.now
    project = RateLimiter(5, 60.0, clock=clock, sleep=clock.sleep)
    alice = RateLimiter(4, 60.0, parent=project, clock=clock, sleep=clock.sleep)
    bob = RateLimiter(4, 60.0, parent=project, clock=clock, sleep=clock.sleep)
    assert [alice.try_acquire() for _ in range(5)] == [True, True, True, True, False]  # her own cap
    assert [bob.try_acquire() for _ in range(2)] == [True, False]  # the project's 5th, then no room
    assert (alice.in_window(), bob.in_window(), project.in_window()) == (4, 1, 5)
    assert bob.acquire() == pytest.approx(start + 60.0)  # waits for the project's window, not his own
    assert project.in_window() == 1  # recorded in both at once


def test_a_shared_limiter_under_another_parent_is_refused() -> None:
    from connectors.limits import shared_limiter

    first = RateLimiter(300, 60.0)
    child = shared_limiter("carol-token", "https://api.example", 10, 1.0, parent=first)
    assert child.parent is first
    assert shared_limiter("carol-token", "https://api.example", 10, 1.0) is child  # no parent named: any
    plain = shared_limiter("dave-token", "https://api.example", 10, 1.0)
    assert shared_limiter("dave-token", "https://api.example", 10, 1.0, parent=first) is plain
    assert plain.parent is first  # attached: the project's quota binds from now on
    with pytest.raises(ValueError, match="another parent"):
        shared_limiter("carol-token", "https://api.example", 10, 1.0, parent=RateLimiter(300, 60.0))
