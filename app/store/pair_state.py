"""The pair-level parts of the Store: pause flags (who, why), names, tabs, action marks, the protections
a run left, run leases.

A mixin of `Store` (kept apart so each module stays small); it uses the Store's engine, clock, error
translation and upsert.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa

from app.core.protections import Protection, protection_of
from app.core.records import PairFlags, PairSources
from app.core.tabs import PairTab
from app.store.flags import flags_of, sources_of, sources_values
from app.store.leases import Judge, acquire, release, renew
from app.store.parts import StoreParts
from app.store.session_lock import SessionLock, lock_engine
from app.store.tables import action_marks, pair_flags, pair_protections, pair_sources, pair_tabs

__all__ = ["PairStateMixin"]


class PairStateMixin(StoreParts):
    """Pause flags, names and links, and run leases of pairs (see Store)."""

    _lock_engine: sa.Engine | None = None  # PostgreSQL only: connections that hold session locks
    _lock_engine_guard = threading.Lock()

    # -- pause flags -----------------------------------------------------------------------------

    def set_paused(
        self, pair: str, paused: bool, *, by: str | None = None, reason: str | None = None
    ) -> None:
        """Pause or resume a pair, for every replica, noting who did it and why."""
        values = {"paused": paused, "updated_at": self._clock(), "paused_by": by, "reason": reason}
        with self._translated(f"pause or resume pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, pair_flags, {"pair": pair}, values)

    def flags(self, pair: str) -> PairFlags:
        """The pair's shared flags: paused (by whom, why, since) and its newest plan approval."""
        with self._translated(f"read the flags of pair {pair!r}"), self._engine.begin() as connection:
            return flags_of(connection, pair)

    # -- names and links -------------------------------------------------------------------------

    def note_sources(self, pair: str, sources: PairSources) -> None:
        """Remember the names and links of the pair's board and spreadsheet (for /status)."""
        values = sources_values(sources, self._clock())
        with self._translated(f"note the sources of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, pair_sources, {"pair": pair}, values)

    def sources(self, pair: str) -> PairSources | None:
        """What note_sources last saved for the pair, None before its first run."""
        with self._translated(f"read the sources of pair {pair!r}"), self._engine.begin() as connection:
            return sources_of(connection, pair)

    def note_tab(self, pair: str, tab: PairTab) -> None:
        """Remember the tab the pair synced: its sheet id and current title (a rename is then followed)."""
        values = {
            "spreadsheet": tab.spreadsheet,
            "configured": tab.configured,
            "sheet_id": tab.sheet_id,
            "title": tab.title,
            "updated_at": self._clock(),
        }
        with self._translated(f"note the tab of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, pair_tabs, {"pair": pair}, values)

    def known_tab(self, pair: str) -> PairTab | None:
        """What note_tab last saved for the pair, None before its first read."""
        columns = (pair_tabs.c.spreadsheet, pair_tabs.c.configured, pair_tabs.c.sheet_id, pair_tabs.c.title)
        query = sa.select(*columns).where(pair_tabs.c.pair == pair)
        with self._translated(f"read the tab of pair {pair!r}"), self._engine.begin() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else PairTab(**row)

    def action_mark(self, pair: str) -> tuple[str, str] | None:
        """(action id, Trello date) of the newest action the pair's runs logged, None before any."""
        columns = (action_marks.c.action_id, action_marks.c.action_date)
        query = sa.select(*columns).where(action_marks.c.pair == pair)
        with self._translated(f"read the action mark of pair {pair!r}"), self._engine.begin() as connection:
            row = connection.execute(query).first()
        return None if row is None else (row[0], row[1])

    def save_action_mark(self, pair: str, action_id: str, action_date: str) -> None:
        """Note the newest action the pair's runs logged: the next board read asks only for newer ones."""
        values = {"action_id": action_id, "action_date": action_date, "updated_at": self._clock()}
        with self._translated(f"save the action mark of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, action_marks, {"pair": pair}, values)

    def save_protections(self, pair: str, protections: Sequence[Protection]) -> None:
        """Note the protected ranges the pair's run left: the next run, in whatever process, checks them."""
        values = {"document": json.dumps([p.body() for p in protections]), "saved_at": self._clock()}
        with self._translated(f"save the protections of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, pair_protections, {"pair": pair}, values)

    def protections_left(self, pair: str) -> tuple[Protection, ...]:
        """The protected ranges the pair's last run left (none before its first run)."""
        query = sa.select(pair_protections.c.document).where(pair_protections.c.pair == pair)
        with self._translated(f"read the protections of pair {pair!r}"), self._engine.begin() as connection:
            document = connection.execute(query).scalar_one_or_none()
        return tuple(protection_of(body) for body in json.loads(document or "[]"))

    def paused(self, pair: str) -> bool:
        """Whether the pair is paused (never set means running)."""
        query = sa.select(pair_flags.c.paused).where(pair_flags.c.pair == pair)
        with self._translated(f"read the pause flag of pair {pair!r}"), self._engine.begin() as connection:
            return bool(connection.execute(query).scalar_one_or_none())

    # -- run leases ------------------------------------------------------------------------------

    def acquire_lease(self, pair: str, holder: str, ttl: timedelta, *, dead: Judge | None = None) -> bool:
        """Take the pair's run lease for `ttl` unless another live holder has it; atomic across replicas.

        `dead(holder)` says when the current holder surely no longer runs: its lease is taken over at once.
        """
        with self._translated(f"take the run lease of pair {pair!r}"), self._engine.begin() as connection:
            if dead is None:
                return acquire(connection, pair, holder, self._clock(), ttl)
            return acquire(connection, pair, holder, self._clock(), ttl, dead)

    def renew_lease(self, pair: str, holder: str, ttl: timedelta) -> bool:
        """Extend `holder`'s lease to now + ttl; False if it no longer holds it (taken over after lapsing)."""
        with self._translated(f"renew the run lease of pair {pair!r}"), self._engine.begin() as connection:
            return renew(connection, pair, holder, self._clock(), ttl)

    def session_lock(self, pair: str, idle_timeout: float = 60.0) -> SessionLock | None:
        """On PostgreSQL, the pair's advisory lock that dies with its session (not yet taken); else None.

        The session ends (lock released) after `idle_timeout` s without a ping from its holder.
        """
        if self._engine.dialect.name != "postgresql":
            return None
        with self._lock_engine_guard:
            if self._lock_engine is None:
                self._lock_engine = lock_engine(self._engine)
            return SessionLock(self._lock_engine, pair, idle_timeout)

    def release_lease(self, pair: str, holder: str) -> None:
        """Give the pair's run lease back, if `holder` still holds it."""
        with self._translated(f"release the run lease of pair {pair!r}"), self._engine.begin() as connection:
            release(connection, pair, holder)
