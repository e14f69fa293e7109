"""The change log and webhook deduplication in the Store: records, pending rows, seen action ids.

A mixin of `Store` (kept apart so each module stays small); it uses the Store's engine, clock and error
translation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.core.records import ChangeRecord
from app.store import seen
from app.store.echoes import OWN_WRITES_KEPT, EchoClaims, prune_writes
from app.store.parts import StoreParts
from app.store.pending import PendingChange, select_unwritten
from app.store.tables import changes as change_log
from app.store.tables import seen_actions

__all__ = ["ChangeLogMixin"]

# Trello retries a webhook for minutes, not days: remembering action ids this long is plenty.
SEEN_ACTIONS_KEPT = timedelta(days=3)
# Old action ids are pruned at most this often: pruning on every webhook cost each one a transaction.
SEEN_ACTIONS_PRUNE_EVERY = timedelta(minutes=1)


class ChangeLogMixin(StoreParts):
    """The change log, its rows not yet in a Changes tab, and the action ids seen (see Store)."""

    _pruned_at: datetime | None = None  # when this process last pruned seen_actions

    # -- change log ------------------------------------------------------------------------------

    def record_changes(self, changes: Sequence[ChangeRecord]) -> None:
        """Append changes to the change log (one bulk insert)."""
        if not changes:
            return
        with self._translated("record changes"), self._engine.begin() as connection:
            seen.insert_changes(connection, changes)

    def recent_changes(self, pair: str | None = None, limit: int = 50) -> list[ChangeRecord]:
        """The latest changes, newest first, of one pair or of all."""
        columns = [change_log.c[f.name] for f in fields(ChangeRecord)]
        query = sa.select(*columns).order_by(change_log.c.at.desc(), change_log.c.id.desc()).limit(limit)
        if pair is not None:
            query = query.where(change_log.c.pair == pair)
        with self._translated("read the change log"), self._engine.begin() as connection:
            rows = connection.execute(query).mappings().all()
        return [ChangeRecord(**row) for row in rows]

    def unwritten_changes(self, pair: str, limit: int = 500) -> list[PendingChange]:
        """The pair's changes not yet in its Changes tab, oldest first, as (id, change)."""
        with self._translated("read the pending change log"), self._engine.begin() as connection:
            return select_unwritten(connection, pair, limit)

    def mark_written_actions(self, pair: str, action_ids: Sequence[str]) -> None:
        """Stamp the pair's change-log rows of these action ids as in its Changes tab."""
        query = (
            sa.update(change_log)
            .where(change_log.c.pair == pair, change_log.c.written_at.is_(None))
            .where(change_log.c.action_id.in_(list(action_ids)))
            .values(written_at=self._clock())
        )
        with self._translated(f"mark changes of pair {pair!r} written"), self._engine.begin() as connection:
            connection.execute(query)

    # -- webhook deduplication -------------------------------------------------------------------

    def mark_action_seen(self, action_id: str) -> bool:
        """True the first time `action_id` is marked, by any replica; False every time after.

        One transaction; ids older than SEEN_ACTIONS_KEPT are pruned in it at most once a minute.
        """
        now = self._clock()
        prune = self._pruned_at is None or now - self._pruned_at >= SEEN_ACTIONS_PRUNE_EVERY
        with self._translated("record a webhook action"):
            try:
                with self._engine.begin() as connection:
                    connection.execute(sa.insert(seen_actions).values(action_id=action_id, seen_at=now))
                    if prune:
                        old = seen_actions.c.seen_at < now - SEEN_ACTIONS_KEPT
                        connection.execute(sa.delete(seen_actions).where(old))
            except sa.exc.IntegrityError:
                return False
        if prune:
            self._pruned_at = now
        return True

    def take_actions(
        self,
        action_ids: Sequence[str],
        changes_for: Callable[[set[str], EchoClaims], Sequence[ChangeRecord]],
    ) -> set[str]:
        """Mark many actions seen and log their changes in ONE transaction; the ids new to every replica.

        `changes_for(new ids, echoes)` gives the change-log rows to insert with them, leaving out the
        echoes it claims of our own writes (noted by any process): when anything fails, no id stays
        marked, no echo claimed and no row logged, so Trello's retry is taken in whole (group commit).
        """
        now = self._clock()
        prune = self._pruned_at is None or now - self._pruned_at >= SEEN_ACTIONS_PRUNE_EVERY
        with self._translated("record webhook actions"), self._engine.begin() as connection:
            new = seen.insert_new(connection, action_ids, now)
            if prune:
                seen.prune_seen(connection, now - SEEN_ACTIONS_KEPT)
                prune_writes(connection, now - OWN_WRITES_KEPT)
            seen.insert_changes(connection, changes_for(new, EchoClaims(connection, now)))
        if prune:
            self._pruned_at = now
        return new

    def forget_action(self, action_id: str) -> None:
        """Un-mark `action_id`, so its next delivery is processed (its changes could not be recorded)."""
        with self._translated("forget a webhook action"), self._engine.begin() as connection:
            connection.execute(sa.delete(seen_actions).where(seen_actions.c.action_id == action_id))
