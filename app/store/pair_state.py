"""The pair-level parts of the Store: pause flags (who, why), board and spreadsheet names, run leases.

A mixin of `Store` (kept apart so each module stays small); it uses the Store's engine, clock, error
translation and upsert.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.core.records import PairFlags, PairSources
from app.core.tabs import PairTab
from app.store.flags import flags_of, sources_of, sources_values
from app.store.leases import acquire, release
from app.store.tables import pair_flags, pair_sources, pair_tabs

__all__ = ["PairStateMixin"]


class PairStateMixin:
    """Pause flags, names and links, and run leases of pairs (see Store)."""

    _engine: sa.Engine
    _clock: Callable[[], datetime]

    def _translated(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    @staticmethod
    def _upsert(
        connection: sa.Connection, table: sa.Table, key: dict[str, Any], values: dict[str, Any]
    ) -> None:
        raise NotImplementedError

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

    def paused(self, pair: str) -> bool:
        """Whether the pair is paused (never set means running)."""
        query = sa.select(pair_flags.c.paused).where(pair_flags.c.pair == pair)
        with self._translated(f"read the pause flag of pair {pair!r}"), self._engine.begin() as connection:
            return bool(connection.execute(query).scalar_one_or_none())

    # -- run leases ------------------------------------------------------------------------------

    def acquire_lease(self, pair: str, holder: str, ttl: timedelta) -> bool:
        """Take the pair's run lease for `ttl` unless another holder's is live; atomic across replicas."""
        with self._translated(f"take the run lease of pair {pair!r}"), self._engine.begin() as connection:
            return acquire(connection, pair, holder, self._clock(), ttl)

    def release_lease(self, pair: str, holder: str) -> None:
        """Give the pair's run lease back, if `holder` still holds it."""
        with self._translated(f"release the run lease of pair {pair!r}"), self._engine.begin() as connection:
            release(connection, pair, holder)
