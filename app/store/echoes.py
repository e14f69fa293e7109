"""Our own Trello writes, kept in the store so that whichever process takes in their echo (the webhook or
the next board read's action) leaves it out of the change log: the sheet's own row already says who
changed what. A replica's or a CLI `sync`'s write is known to every other replica sharing the store.

An echo is an action by the member the service's token belongs to, on a card field written within
OWN_WRITES_KEPT, each write claimable by one echo: a change by anyone else is never one (issue 13's soak
lost team moves that way). Notes are their own short transaction, before the write (Trello may deliver the
webhook before the PUT's answer); claims happen in the transaction that marks the actions seen and logs
them (`Store.take_actions`), so an echo is claimed exactly when its action is taken in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.store.parts import StoreParts
from app.store.tables import own_writes

__all__ = ["OWN_WRITES_KEPT", "EchoClaims", "OwnWritesMixin", "prune_writes"]

# Trello delivers a webhook within seconds of the action; an echo later than this is logged after all.
OWN_WRITES_KEPT = timedelta(minutes=10)
_FIELD, _ID = 300, 64  # the columns' lengths (app/store/tables.py)


def _key(card_id: str, field: str, member: str) -> sa.ColumnElement[bool]:
    """The rows of one card field written by one member (values cut as the columns cut them)."""
    c = own_writes.c
    return sa.and_(c.card_id == card_id[:_ID], c.field == field[:_FIELD], c.member == member[:_ID])


class EchoClaims:
    """Claims echoes inside one transaction of `Store.take_actions` (its connection, its now)."""

    def __init__(self, connection: sa.Connection, now: datetime, keep: timedelta = OWN_WRITES_KEPT) -> None:
        self._connection = connection
        self._since = now - keep
        self._writers: set[str] | None = None  # the members with fresh writes, read once, on the first claim

    def claim(self, card_id: str, field: str, by: object) -> bool:
        """True (once per write) when member `by`'s change of the card field is the echo of a write
        noted within the keep window, by any process; a change by any other member is never one."""
        if not isinstance(by, str) or not by:
            return False
        if self._writers is None:
            fresh = sa.select(own_writes.c.member).where(own_writes.c.written_at >= self._since).distinct()
            self._writers = set(self._connection.execute(fresh).scalars())
        if by[:_ID] not in self._writers:
            return False  # a person's change: no query, no lock
        # The oldest matching write, deleted: a replica claiming at the same time skips the row it holds
        # (SKIP LOCKED on PostgreSQL; SQLite has one writer at a time) and takes the next write or none.
        oldest = (
            sa.select(own_writes.c.id)
            .where(_key(card_id, field, by), own_writes.c.written_at >= self._since)
            .order_by(own_writes.c.written_at, own_writes.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        taken = sa.delete(own_writes).where(own_writes.c.id == oldest).returning(own_writes.c.id)
        return self._connection.execute(taken).first() is not None


def prune_writes(connection: sa.Connection, before: datetime) -> None:
    """Forget writes noted before `before`: their echoes, if any still come, are logged."""
    connection.execute(sa.delete(own_writes).where(own_writes.c.written_at < before))


class OwnWritesMixin(StoreParts):
    """Noting our writes before they are made, forgetting the ones that failed (see Store)."""

    def note_own_writes(self, card_id: str, fields: Iterable[str], member: str) -> None:
        """Member `member` (our token's) is writing these fields of the card (name, list, due, custom:X)."""
        now = self._clock()
        rows = [
            {"card_id": card_id[:_ID], "field": f[:_FIELD], "member": member[:_ID], "written_at": now}
            for f in fields
        ]
        if rows and member:
            with self._translated("note our own Trello writes"), self._engine.begin() as connection:
                connection.execute(sa.insert(own_writes), rows)

    def forget_own_writes(self, card_id: str, fields: Iterable[str], member: str) -> None:
        """Un-note the latest write of each field (it failed: no echo is coming for it)."""
        with self._translated("forget our own Trello writes"), self._engine.begin() as connection:
            for field in fields:
                latest = (
                    sa.select(own_writes.c.id).where(_key(card_id, field, member))
                    .order_by(own_writes.c.written_at.desc(), own_writes.c.id.desc()).limit(1)
                    .scalar_subquery()
                )  # fmt: skip
                connection.execute(sa.delete(own_writes).where(own_writes.c.id == latest))
