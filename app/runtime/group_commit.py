"""Group commit: items submitted from any thread are handled in batches by one writer thread.

A webhook's acknowledgement waits for its action to be marked seen and its changes logged, durably. One
transaction per webhook costs a begin and a commit each (most of an acknowledgement's time on SQLite);
batching whatever arrived while the previous batch was committing shares them, and a lone webhook still
goes at once (no timer: the writer takes what is waiting as soon as it is free).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

T = TypeVar("T")
R = TypeVar("R")

# Bounds one transaction's size (and the wait of the batch's first item).
MAX_BATCH = 256


class GroupCommit(Generic[T, R]):
    """Runs `handle(batch)` on one daemon thread; `handle` returns one result (or exception) per item."""

    def __init__(
        self, handle: Callable[[Sequence[T]], Sequence[R | BaseException]], name: str = "group-commit"
    ) -> None:
        self._handle = handle
        self._name = name
        self._pending: list[tuple[T, Future[R]]] = []
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, item: T) -> Future[R]:
        """Queue `item`; its future holds the result, or the exception `handle` gave or raised.

        RuntimeError once closed.
        """
        future: Future[R] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError(f"{self._name} is closed")
            self._pending.append((item, future))
            if self._thread is None:  # started on first use: an intake nobody posts to costs no thread
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._ready.notify()
        return future

    def close(self, timeout: float | None = None) -> None:
        """Handle what is queued, then stop the writer."""
        with self._ready:
            self._closed = True
            self._ready.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _loop(self) -> None:
        """Take everything waiting (up to MAX_BATCH), handle it, settle the futures; until closed."""
        while True:
            with self._ready:
                while not self._pending and not self._closed:
                    self._ready.wait()
                if not self._pending:
                    return
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            self._settle(batch)

    def _settle(self, batch: list[tuple[T, Future[R]]]) -> None:
        """Handle one batch; a raise from `handle` fails every item of it."""
        try:
            results = list(self._handle([item for item, _ in batch]))
            if len(results) != len(batch):
                raise RuntimeError(f"{self._name}: {len(results)} results for {len(batch)} items")
        except BaseException as exc:  # handed to every waiting caller: no future is left unsettled
            results = [exc] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
