"""Run leases in the store: one holder per pair at a time, on SQLite and PostgreSQL, across Stores."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.store.store import Store
from app.store.tables import run_leases
from tests.support.clock import FakeClock

TTL = timedelta(minutes=10)


LEASED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp()


def holders(store: Store) -> dict[str, str]:
    """pair -> holder of every lease row."""
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(run_leases.c.pair, run_leases.c.holder)).all()
    return {pair: holder for pair, holder in rows}


def test_a_free_pair_is_leased_and_released(store: Store) -> None:
    assert store.acquire_lease("calendar", "a", TTL)
    assert holders(store) == {"calendar": "a"}
    store.release_lease("calendar", "a")
    assert holders(store) == {}
    assert store.acquire_lease("calendar", "b", TTL)


def test_a_live_lease_refuses_another_holder_but_not_other_pairs(store: Store) -> None:
    assert store.acquire_lease("calendar", "a", TTL)
    assert not store.acquire_lease("calendar", "b", TTL)
    assert store.acquire_lease("social", "b", TTL)
    assert holders(store) == {"calendar": "a", "social": "b"}


def test_releasing_someone_elses_lease_leaves_it(store: Store) -> None:
    assert store.acquire_lease("calendar", "a", TTL)
    store.release_lease("calendar", "b")
    store.release_lease("other", "a")
    assert holders(store) == {"calendar": "a"}
    assert not store.acquire_lease("calendar", "b", TTL)


def test_an_expired_lease_is_taken_over_and_the_old_holder_cannot_release_it(store_url: str) -> None:
    clock = FakeClock(LEASED_AT)
    with Store(store_url, clock=clock.datetime) as store:
        assert store.acquire_lease("calendar", "crashed", TTL)
        clock.advance(TTL - timedelta(seconds=1))
        assert not store.acquire_lease("calendar", "b", TTL)
        clock.advance(timedelta(seconds=1))
        assert store.acquire_lease("calendar", "b", TTL)
        store.release_lease("calendar", "crashed")  # the late holder wakes up: b keeps the lease
        assert holders(store) == {"calendar": "b"}
        clock.advance(TTL / 2)
        assert not store.acquire_lease("calendar", "crashed", TTL)


def test_the_holder_may_renew_its_own_lease(store_url: str) -> None:
    clock = FakeClock(LEASED_AT)
    with Store(store_url, clock=clock.datetime) as store:
        assert store.acquire_lease("calendar", "a", TTL)
        clock.advance(TTL / 2)
        assert store.acquire_lease("calendar", "a", TTL)
        clock.advance(TTL * 3 / 4)  # past the first lease's end, within the renewed one
        assert not store.acquire_lease("calendar", "b", TTL)


def race(stores: list[Store], pair: str) -> list[bool]:
    """Holder f"h{i}" asks `stores[i]` for the pair's lease, all at once from threads; who got it."""
    barrier = threading.Barrier(len(stores))
    answers: list[bool | BaseException] = [False] * len(stores)

    def attempt(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = stores[index].acquire_lease(pair, f"h{index}", TTL)
        except BaseException as exc:  # collected: the assertion below names it
            answers[index] = exc

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(answer, bool) for answer in answers), answers
    return [answer is True for answer in answers]


def test_concurrent_acquirers_on_one_store_exactly_one_wins(store: Store) -> None:
    for round_ in range(3):
        pair = f"pair-{round_}"
        won = race([store] * 8, pair)
        assert won.count(True) == 1
        assert holders(store)[pair] == f"h{won.index(True)}"


def test_concurrent_acquirers_on_two_stores_exactly_one_wins(store_url: str) -> None:
    with Store(store_url) as first, Store(store_url) as second:
        for round_ in range(3):
            pair = f"pair-{round_}"
            won = race([first, second] * 3, pair)
            assert won.count(True) == 1
            assert holders(first)[pair] == f"h{won.index(True)}"


def test_concurrent_takeovers_of_an_expired_lease_exactly_one_wins(store_url: str) -> None:
    clock = FakeClock(LEASED_AT)
    with Store(store_url, clock=clock.datetime) as first, Store(store_url, clock=clock.datetime) as second:
        assert first.acquire_lease("calendar", "crashed", TTL)
        clock.advance(TTL * 2)
        won = race([first, second] * 3, "calendar")
        assert won.count(True) == 1
        assert holders(first) == {"calendar": f"h{won.index(True)}"}
