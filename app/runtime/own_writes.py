"""The card fields this process wrote to Trello lately, so the webhooks those writes cause (their echoes)
are not logged a second time: the sheet's own change-log row already says who changed what."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

# Trello delivers a webhook within seconds of the action; an echo later than this is logged after all.
KEEP_SECONDS = 600.0


class OwnWrites:
    """(card id, card field) pairs written lately, each claimable once by the echo it causes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, keep: float = KEEP_SECONDS) -> None:
        self._clock = clock
        self._keep = keep
        self._written: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def note(self, card_id: str, fields: Iterable[str]) -> None:
        """We just wrote these fields of the card (change-log field names: name, list, due, custom:X)."""
        now = self._clock()
        with self._lock:
            for field in fields:
                self._written.setdefault((card_id, field), []).append(now)

    def claim(self, card_id: str, field: str) -> bool:
        """True (once per write) when the change is the echo of a write of ours made within `keep` seconds."""
        now = self._clock()
        with self._lock:
            times = [t for t in self._written.pop((card_id, field), []) if now - t <= self._keep]
            if not times:
                return False
            if len(times) > 1:
                self._written[(card_id, field)] = times[1:]
            return True
