"""A coordinator following its pair's shared flags: the pause every replica sees, held plans approved."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from app.core.error_text import describe_error
from app.core.records import PairFlags
from app.runtime.bookkeeping import Bookkeeping

__all__ = ["PAUSE_POLL", "SharedPause"]

log = logging.getLogger("app.runtime.coordinator")  # the coordinator's lines, whichever module says them

# How often an idle worker re-reads the shared pause flag (one tiny SELECT per pair and replica). The flags
# live in the shared store: re-read before each run and every PAUSE_POLL s, a pause or resume made on any
# replica reaches them all, and an approval made elsewhere (another replica, `boardsheet approve`) asks for
# a run, so the approved plan is applied within a poll, not at the next reconcile.
PAUSE_POLL = 10.0


class SharedPause:
    """Reads a pair's shared flags (`source`: paused, or PairFlags with the last approval) into its books."""

    def __init__(self, book: Bookkeeping, source: Callable[[], bool | PairFlags] | None) -> None:
        self.book, self.source = book, source
        self._approval_seen: datetime | bool | None = False  # False: nothing read yet

    def follow(self) -> None:
        """Re-read the shared flags and follow them; an unreadable flag keeps the current state."""
        if self.source is None:
            return
        name = self.book.name
        with self.book.cond:
            version = self.book.pause_version
        try:
            shared = self.source()
        except Exception as exc:  # a store outage must not kill the worker; the run will report it
            log.debug("pair %s: cannot read the shared pause flag: %s", name, describe_error(exc))
            return
        flags = shared if isinstance(shared, PairFlags) else PairFlags(paused=shared)
        self._follow_approval(flags.approved_at)
        paused = flags.paused
        with self.book.cond:
            if version != self.book.pause_version or paused == self.book.schedule.paused:
                return
        log.info("pair %s %s (shared pause flag)", name, "paused" if paused else "resumed")
        self.book.set_paused(paused)

    def _follow_approval(self, approved_at: datetime | None) -> None:
        """Request a run when a plan of this pair was approved since the last read (not at the first)."""
        seen, self._approval_seen = self._approval_seen, approved_at
        if seen is False or approved_at is None:
            return
        if seen is None or (isinstance(seen, datetime) and approved_at > seen):
            name = self.book.name
            log.info("pair %s: a held plan was approved; running it", name, extra={"pair": name})
            self.book.request("approved plan", force=True)
