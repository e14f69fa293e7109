"""One metered attempt for every client (connectors.metering): rate-limited, counted per run, observed."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any, cast

import pytest

from connectors.limits import RateLimiter
from connectors.metering import Meter, counting
from connectors.sheets.transport import SheetsTransport
from connectors.trello.session import TrelloSession
from tests.support.clock import FakeClock


def test_an_attempt_waits_for_the_limiter_then_counts() -> None:
    clock = FakeClock()
    meter = Meter("trello", RateLimiter(2, 60.0, clock=clock, sleep=clock.sleep))
    start = clock()
    for _ in range(3):
        meter.admit()
    assert clock() == start + 60.0  # the third waited for the window
    assert meter.requests_made == 3


def test_limiters_by_kind_admit_each_kind_through_its_own() -> None:
    clock = FakeClock()
    reads, writes = (RateLimiter(1, 60.0, clock=clock, sleep=clock.sleep) for _ in range(2))
    meter = Meter("sheets", {"read": reads, "write": writes})
    start = clock()
    meter.admit("read")
    meter.admit("write")  # the read's bucket is full, the write's is not
    assert clock() == start
    assert (reads.in_window(), writes.in_window()) == (1, 1)
    with pytest.raises(KeyError):
        meter.admit()  # by kind, a request of no kind is a mistake, not a free pass
    clock.advance(60.0)
    meter.hold(5.0, "write")
    assert (reads.try_acquire(), writes.try_acquire()) == (True, False)  # the writes only are held
    clock.advance(60.0)
    meter.hold(5.0)  # no kind named: every kind waits
    assert (reads.try_acquire(), writes.try_acquire()) == (False, False)
    clock.advance(5.0)
    assert (reads.try_acquire(), writes.try_acquire()) == (True, True)


def test_a_block_counts_its_own_attempts_by_service_and_kind() -> None:
    meter = Meter("sheets", RateLimiter(100, 1.0))
    meter.admit("read")  # outside any block: counted by the meter only
    with counting() as counts:
        meter.admit("read")
        meter.admit("write")
        meter.admit()
    assert counts == Counter({"sheets": 3, "sheets read": 1, "sheets write": 1})
    assert meter.requests_made == 4


def test_two_threads_sharing_a_meter_never_count_each_others_attempts() -> None:
    meter = Meter("trello", RateLimiter(1000, 1.0))
    meet = threading.Barrier(2, timeout=10)
    seen: dict[str, Counter[str]] = {}

    def run(name: str, attempts: int) -> None:
        with counting() as counts:
            meet.wait()  # both blocks open before either attempts
            for _ in range(attempts):
                meter.admit()
            meet.wait()  # and both have attempted before either closes
        seen[name] = counts

    threads = [threading.Thread(target=run, args=(name, n)) for name, n in (("a", 2), ("b", 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"a": Counter({"trello": 2}), "b": Counter({"trello": 5})}
    assert meter.requests_made == 7


def test_the_observer_hears_every_status() -> None:
    heard: list[int] = []
    Meter("drive", RateLimiter(10, 1.0), heard.append).observe(429)
    Meter("drive", RateLimiter(10, 1.0)).observe(200)  # no observer: nothing to tell
    assert heard == [429]


def test_both_clients_attempt_through_a_meter() -> None:
    limiter = RateLimiter(10, 1.0)
    trello = TrelloSession(limiter)
    sheets = SheetsTransport(cast(Any, None), {"read": limiter, "write": RateLimiter(10, 1.0)})
    clients: dict[str, object] = {"trello": trello, "sheets": sheets}
    meters = {name: type(getattr(client, "_meter", None)) for name, client in clients.items()}
    assert meters == {"trello": Meter, "sheets": Meter}
    assert (trello.requests_made, sheets.requests_made) == (0, 0)
