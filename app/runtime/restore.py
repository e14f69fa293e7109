"""`boardsheet restore`: write a pair's tab back to a snapshot, in ONE batchUpdate, never calling Trello.

The pair's run lease is held from the read to the write, so no run writes the tab meanwhile. The next
run then reconciles the owned columns with the board as usual (the snapshot may predate board edits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.config.models import Config
from app.core.snapshots import RestorePlan, column_formats, restore_plan, shown, snapshot_document
from app.core.views.list_line import blank_line
from app.errors import NoSnapshotError
from app.runtime.lease import LEASE_TTL, pair_lease
from app.runtime.tab_reader import read_pair_tab
from app.store.store import Store
from connectors.sheets.client import SheetsConnector

__all__ = ["Restore", "Restorer"]


@dataclass(frozen=True)
class Restore:
    """A restore to confirm: the pair, its tab, when the snapshot was taken, the plan, the header row."""

    pair: str
    tab: str
    taken_at: datetime
    plan: RestorePlan
    headers: tuple[str, ...]
    timezone: str = "UTC"  # the pair's: times are shown as its sheet shows them

    def taken_text(self) -> str:
        """When the snapshot was taken, in the pair's zone: "2026-12-01 10:42:07 (Europe/Paris)"."""
        return f"{self.taken_at.astimezone(ZoneInfo(self.timezone)):%Y-%m-%d %H:%M:%S} ({self.timezone})"

    def header(self, column: int) -> str:
        """The column's header as the snapshot has it (its letter when none)."""
        text = self.headers[column] if column < len(self.headers) else ""
        return text or _letter(column)


class Restorer:
    """Restores pairs' tabs from their snapshots; needs only the Sheets connector and the store."""

    def __init__(
        self, config: Config, sheets: SheetsConnector, store: Store, *, lease_ttl: timedelta = LEASE_TTL
    ) -> None:
        self.config = config
        self.sheets = sheets
        self.store = store
        self.lease_ttl = lease_ttl

    def restore(self, pair: str, at: datetime, confirm: Callable[[Restore], bool]) -> tuple[Restore, bool]:
        """Plan the tab back to its newest snapshot at or before `at`, ask `confirm`, then write it.

        Returns the restore and whether it was written; NoSnapshotError when none is that old, PairBusy
        when a run holds the pair. One Sheets read, at most one batchUpdate, no Trello request.
        """
        spec = self.config.pair(pair)
        with pair_lease(self.store, spec.name, self.lease_ttl) as lease:
            found = self.store.snapshot_at(spec.name, at)
            if found is None:
                kept = self.store.snapshot_at(spec.name) is not None
                raise NoSnapshotError(spec.name, at.isoformat(), kept)
            read = read_pair_tab(
                self.sheets, self.store, spec, also=(), whole=(), formats=True, create_tab=False
            ).snapshot
            formats = column_formats(read.rows)
            current = snapshot_document(read.sheet_id, read.title, blank_line(read))  # the line: no edit
            plan = restore_plan(
                current,
                found.document,
                row_count=read.row_count,
                column_count=read.column_count,
                formats=formats,
            )
            back = found.document["rows"]
            headers = tuple(shown(value) for value in (back[0] if back else []))
            result = Restore(spec.name, read.title, found.taken_at, plan, headers, spec.timezone)
            if not plan.requests or not confirm(result):
                return result, False
            lease.ensure_held()  # a heartbeat that stalled past the TTL must not write
            self.sheets.batch_update(spec.sheet.spreadsheet, list(plan.requests))
            return result, True


def _letter(column: int) -> str:
    """A 0-based column index as the sheet's letters (0 → A, 26 → AA)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
