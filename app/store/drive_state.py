"""The Drive parts of the Store: push channels shared by every replica, and each pair's last edit hint.

A mixin of `Store` (kept apart so each module stays small); it uses the Store's engine, clock, error
translation and upsert. Which replica may open or stop a spreadsheet's channel is decided by the run
lease table (`acquire_lease` on the key `drive:<spreadsheet>`), so exactly one channel exists per
spreadsheet however many replicas share the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.store.parts import StoreParts
from app.store.tables import drive_channels, sheet_edits

__all__ = ["DriveChannel", "DriveStateMixin", "SheetEdit"]


@dataclass(frozen=True)
class DriveChannel:
    """One push channel: opened (resource_id set) or being opened (resource_id None)."""

    channel_id: str
    spreadsheet: str
    resource_id: str | None
    token: str
    expires_at: datetime
    opened_by: str


@dataclass(frozen=True)
class SheetEdit:
    """The last verified edit hint of a pair: who, which A1 range, when it arrived."""

    pair: str
    editor: str
    range: str
    received_at: datetime


def _channel(row: Any) -> DriveChannel:
    return DriveChannel(
        row.channel_id, row.spreadsheet, row.resource_id, row.token, row.expires_at, row.opened_by
    )


class DriveStateMixin(StoreParts):
    """Drive channels and sheet edit hints (see Store)."""

    def drive_channels(self, spreadsheet: str | None = None) -> list[DriveChannel]:
        """Every channel row (of one spreadsheet when given), soonest expiry first."""
        query = sa.select(drive_channels).order_by(drive_channels.c.expires_at)
        if spreadsheet is not None:
            query = query.where(drive_channels.c.spreadsheet == spreadsheet)
        with self._translated("read the Drive channels"), self._engine.begin() as connection:
            return [_channel(row) for row in connection.execute(query)]

    def drive_channel(self, channel_id: str) -> DriveChannel | None:
        """The channel with this id, None when we never opened it (or forgot it)."""
        query = sa.select(drive_channels).where(drive_channels.c.channel_id == channel_id[:64])
        with self._translated("read a Drive channel"), self._engine.begin() as connection:
            row = connection.execute(query).first()
        return None if row is None else _channel(row)

    def save_drive_channel(self, channel: DriveChannel) -> None:
        """Insert or replace a channel row (before files.watch, then with Drive's resource id and expiry)."""
        values = {
            "spreadsheet": channel.spreadsheet,
            "resource_id": channel.resource_id,
            "token": channel.token,
            "expires_at": channel.expires_at,
            "opened_by": channel.opened_by,
        }
        with self._translated("save a Drive channel"), self._engine.begin() as connection:
            self._upsert(connection, drive_channels, {"channel_id": channel.channel_id}, values)

    def forget_drive_channel(self, channel_id: str) -> None:
        """Delete a channel row (it was stopped, expired, or never opened)."""
        query = sa.delete(drive_channels).where(drive_channels.c.channel_id == channel_id)
        with self._translated("forget a Drive channel"), self._engine.begin() as connection:
            connection.execute(query)

    def note_sheet_edit(self, pair: str, editor: str, sheet_range: str) -> None:
        """Remember the pair's newest verified edit hint (who and where), received now."""
        values = {"editor": editor, "sheet_range": sheet_range, "received_at": self._clock()}
        with self._translated(f"note a sheet edit of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, sheet_edits, {"pair": pair}, values)

    def last_sheet_edit(self, pair: str) -> SheetEdit | None:
        """The pair's newest verified edit hint, None when none ever arrived."""
        query = sa.select(sheet_edits).where(sheet_edits.c.pair == pair)
        with self._translated(f"read the sheet edits of pair {pair!r}"), self._engine.begin() as connection:
            row = connection.execute(query).first()
        return None if row is None else SheetEdit(row.pair, row.editor, row.sheet_range, row.received_at)
