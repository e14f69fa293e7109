"""A run's writes in order: the two-way cells' Trello writes, the intake's, then the sheet's batchUpdate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.config.models import Pair
from app.runtime.changelog import ChangesTabs
from app.runtime.guarded import write
from app.runtime.ideas import apply_ideas, ideas_written
from app.runtime.lease import Lease
from app.runtime.preview import Preview
from app.runtime.trello_writes import apply_writes
from app.store.store import Store
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

__all__ = ["RunWriter"]


class RunWriter:
    """Applies a run's preview under the pair's lease; the sheet's part raises RowsMoved on a race."""

    def __init__(
        self,
        trello: TrelloConnector,
        store: Store,
        changes_tabs: ChangesTabs,
        clock: Callable[[], datetime],
    ) -> None:
        self.trello, self.store, self.changes_tabs, self._clock = trello, store, changes_tabs, clock

    def write(
        self,
        spec: Pair,
        sheets: SheetsConnector,
        preview: Preview,
        lease: Lease,
        stage: Callable[[str], None],
        editor: Callable[[], str | None],
    ) -> list[dict[str, Any]]:
        """Trello's writes, then the batch with the intake's (`editor()` asked if needed); its requests."""
        name = spec.name
        self._write_trello(name, preview, lease, stage)
        ideas = apply_ideas(preview.ideas, self.trello, self.store, name, self._clock, editor, lease)
        requests = preview.requests + ideas
        if requests:
            lease.ensure_held()  # a run whose heartbeat stalled past the TTL must not write
            stage("writing the sheet")
            self.changes_tabs.forget(name)  # after a write, the next read looks again
            write(sheets, name, spec.sheet.spreadsheet, requests, preview.row_checks)
            if spec.changes_tab is not None and preview.sheet_changes:
                self.store.mark_written_actions(name, [c.action_id for c in preview.sheet_changes])
        ideas_written(preview.ideas, self.store, name, self._clock())
        return requests

    def _write_trello(self, name: str, preview: Preview, lease: Lease, stage: Callable[[str], None]) -> None:
        """The two-way cells' Trello writes, each card's base saved once it is applied (trello_writes).

        They go before the sheet's batch: a batch refused because rows moved is planned again from a base
        that already holds them, so nothing is written twice.
        """
        if preview.plan.trello or preview.sheet_changes:
            lease.ensure_held()
            stage("writing Trello")
            apply_writes(self.trello, self.store, name, preview.plan.trello, preview.sheet_changes)
