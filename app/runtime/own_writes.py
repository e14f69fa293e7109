"""The card fields this process wrote to Trello lately, so the webhooks those writes cause (their echoes)
are not logged a second time: the sheet's own change-log row already says who changed what.

An echo is an action made by the member the service's token belongs to: a change by anyone else is
never one, whatever card and field it touches (issue 13's soak lost team moves that way, taken for the
echo of a write another replica had seen, or of a write that changed nothing and so caused no action).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

# Trello delivers a webhook within seconds of the action; an echo later than this is logged after all.
KEEP_SECONDS = 600.0


class OwnWrites:
    """(card id, card field, writing member) written lately, each claimable once by the echo it causes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, keep: float = KEEP_SECONDS) -> None:
        self._clock = clock
        self._keep = keep
        self._written: dict[tuple[str, str, str], list[float]] = {}
        self._lock = threading.Lock()

    def note(self, card_id: str, fields: Iterable[str], by: str) -> None:
        """Member `by` (our token's) is writing these fields of the card (name, list, due, custom:X)."""
        now = self._clock()
        with self._lock:
            for field in fields:
                self._written.setdefault((card_id, field, by), []).append(now)

    def claim(self, card_id: str, field: str, by: object) -> bool:
        """True (once per write) when member `by`'s change is the echo of a write of ours made within
        `keep` seconds; a change by any other member (or by no named one) is never an echo."""
        if not isinstance(by, str) or not by:
            return False
        now = self._clock()
        key = (card_id, field, by)
        with self._lock:
            times = [t for t in self._written.pop(key, []) if now - t <= self._keep]
            if not times:
                return False
            if len(times) > 1:
                self._written[key] = times[1:]
            return True
