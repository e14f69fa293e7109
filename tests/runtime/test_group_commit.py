"""GroupCommit: what is submitted while a batch is handled goes in the next batch, every future settles."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from app.runtime.group_commit import GroupCommit


class Gate:
    """A handler that holds its first batch until released, recording every batch it saw."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, batch: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(batch))
        self.entered.set()
        self.release.wait(10)
        return [ValueError(f"odd {n}") if n % 2 else n * 10 for n in batch]


def test_items_arriving_during_a_batch_are_handled_together_next() -> None:
    gate = Gate()
    commits: GroupCommit[int, int] = GroupCommit(gate)
    first = commits.submit(0)
    assert gate.entered.wait(10)
    waiting = [commits.submit(n) for n in (2, 4, 6)]
    gate.release.set()
    assert first.result(10) == 0
    assert [f.result(10) for f in waiting] == [20, 40, 60]
    assert gate.batches == [[0], [2, 4, 6]]  # one batch for the three, not three
    commits.close()


def test_each_item_gets_its_own_exception_and_a_raising_handler_fails_its_whole_batch() -> None:
    gate = Gate()
    gate.release.set()
    commits: GroupCommit[int, int] = GroupCommit(gate)
    with pytest.raises(ValueError, match="odd 3"):
        commits.submit(3).result(10)

    def broken(batch: Sequence[int]) -> list[int | BaseException]:
        raise ConnectionError("database is down")

    failing: GroupCommit[int, int] = GroupCommit(broken)
    futures = [failing.submit(n) for n in range(3)]
    assert all(isinstance(f.exception(10), ConnectionError) for f in futures)
    commits.close()
    failing.close()


def test_close_handles_what_is_queued_then_refuses_more() -> None:
    gate = Gate()
    commits: GroupCommit[int, int] = GroupCommit(gate)
    first = commits.submit(0)
    assert gate.entered.wait(10)
    queued = commits.submit(2)
    gate.release.set()
    commits.close(10)
    assert (first.result(0), queued.result(0)) == (0, 20)
    with pytest.raises(RuntimeError, match="closed"):
        commits.submit(4)
