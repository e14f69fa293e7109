"""The one way tests wait for another thread or process: poll a condition, bounded in time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT = 45.0  # generous: 2 noisy cores; only a hang should ever reach it


def wait_until(
    check: Callable[[], T], what: str = "the condition", timeout: float = TIMEOUT, every: float = 0.02
) -> T:
    """Poll `check` until it answers something truthy and return that; on timeout, fail naming `what`.

    No timing is asserted: the timeout only turns a hang into a failure that says what never happened.
    """
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)
