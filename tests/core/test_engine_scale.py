"""plan() stays linear in cards: no collector pass walks the heap while it builds its result.

Counts collections (gc.callbacks), never times: a full pass walks every object in the process, so each
one started inside plan() made it cost the heap's size, not the board's (issue 13: a 5.8x step 10k->20k).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.core.engine import plan
from app.core.gc_pause import collector_paused
from app.core.mapping import board_rows
from app.core.model import Board, Card, Column, Policy, SheetTab

POLICY = Policy(
    columns=(Column("Date", "due"), Column("Title", "name"), Column("Status", "list"), Column("Link", "url")),
    timezone="Europe/Paris",
)
START = datetime(2026, 12, 1, 9, tzinfo=UTC)
EMPTY = SheetTab(sheet_id=0, headers=(), column_tags=(), rows=())


def _board(cards: int) -> Board:
    """`cards` cards, one every 30 minutes."""
    return Board(
        id="b" * 24,
        name="Calendar board",
        cards=tuple(
            Card(
                id=f"{i:024x}",
                name=f"Post {i:05d}",
                due=START + timedelta(minutes=30 * i),
                list_name="Ideas",
                labels=(),
                url=f"https://trello.com/c/{i:08x}",
                pos=float(i),
            )
            for i in range(cards)
        ),
    )


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)


def test_a_first_sync_of_5000_cards_runs_no_collection(collections: list[int]) -> None:
    rows = board_rows(_board(5_000), POLICY)
    gc.collect()
    collections.clear()
    result = plan(None, rows, EMPTY, POLICY)
    assert len(result.appends) == 5_000
    # At most the one young pass over the new objects once the collector is back (linear, each object
    # once); before: 59 young passes and 5 middle ones (in a larger heap, full ones walking all of it).
    assert collections in ([], [0])
    assert gc.isenabled()


def test_the_collector_comes_back_only_when_the_last_pause_ends() -> None:
    inner_started, outer_may_end = threading.Event(), threading.Event()

    def other_thread() -> None:
        with collector_paused():
            inner_started.set()
            outer_may_end.wait(5)

    with collector_paused():
        worker = threading.Thread(target=other_thread)
        worker.start()
        inner_started.wait(5)
    assert not gc.isenabled()  # the other thread's pause still runs
    outer_may_end.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
