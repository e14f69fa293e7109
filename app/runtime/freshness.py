"""The freshness line when runs fail: the lines say since when the sheet is not synced, and why.

Best effort, after a run failed (Trello unreachable, a write refused twice because rows moved, ...): one
read of the view tabs (and the list tab, with `sheet.freshness`) and at most one write, no more than once
per `freshness_every` per pair (plus once when a failure starts), so a failing pair stays within a few
extra requests an hour. It never hides the run's own error. The list tab's line is updated only where it
already is, never inserting its row. A refused or held run is no failure of the service: it writes nothing
to the sheet at all (app/runtime/sync.py), and the lines keep the time of the last sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from app.config.models import Pair
from app.core.error_text import describe_error
from app.core.views.cells import EMPTY, grid_cell
from app.core.views.freshness import Freshness, due, failing_since, freshness_cell, freshness_request
from app.core.views.list_line import Top, line_requests, our_row
from app.core.views.month import FRESHNESS_CELL
from app.core.views.sheet import view_tab
from app.store.store import Store
from connectors.errors import ConnectorError, TabNotFound
from connectors.sheets.client import SheetsConnector
from connectors.sheets.tab_snapshot import TabSnapshot

log = logging.getLogger(__name__)

Request = dict[str, Any]


class FailureLines:
    """Writes "⚠ Not synced since ..." into a failing pair's views, throttled per pair."""

    def __init__(self, sheets_for: Callable[[str], SheetsConnector], store: Store) -> None:
        self._sheets_for = sheets_for  # pair name -> the connector of its service account
        self._store = store
        self._checked: dict[str, datetime] = {}  # pair -> when this process last looked

    def report(self, spec: Pair, started: datetime, now: datetime, reason: str) -> None:
        """Mark the pair's views and its list tab's line as failing since the first failed run (the one
        `started` when none failed before it); never raises."""
        lists = [spec.sheet.tab] if spec.sheet.freshness else []
        if not spec.views and not lists:
            return
        last = self._checked.get(spec.name)
        if last is not None and now - last < spec.freshness_every:
            return
        self._checked[spec.name] = now
        try:
            requests = self._marks(spec, started, now, reason, lists)
            if requests:
                self._sheets_for(spec.name).batch_update(spec.sheet.spreadsheet, requests)
        except Exception as exc:  # the run's own error is what matters; this is a courtesy
            # A connector's message says what happened and where, and holds no secret; anything else
            # is named by its class only.
            why = describe_error(exc) if isinstance(exc, ConnectorError) else type(exc).__name__
            log.warning("pair %s: could not write in the sheet that runs fail: %s", spec.name, why)

    def _marks(
        self, spec: Pair, started: datetime, now: datetime, reason: str, lists: list[str]
    ) -> list[Request]:
        """The failure lines due; a missing list tab (often why the run failed) leaves only the views."""
        try:
            return self._requests(spec, started, now, reason, lists)
        except TabNotFound:
            if not lists:
                raise
            # The run's own error names the missing tab; the views, if any, still say since when.
            return self._requests(spec, started, now, reason, []) if spec.views else []

    def _requests(
        self, spec: Pair, started: datetime, now: datetime, reason: str, lists: list[str]
    ) -> list[Request]:
        """The failure lines due in the view tabs that exist, and in the list tab's line when asked."""
        outcomes = [(run.outcome, run.started_at) for run in self._store.runs(spec.name, limit=100)]
        since, synced_at = failing_since(outcomes, started)
        first, *rest = lists + [view.tab for view in spec.views]
        snapshot = self._sheets_for(spec.name).read_tab(
            spec.sheet.spreadsheet, first, whole=rest, formats=True
        )
        tabs = {first: snapshot, **snapshot.others}
        line = Freshness("", spec.timezone, synced_at, spec.reconcile_every, since, reason)
        requests = []
        if lists:
            requests += _list_line(tabs.pop(first), line, now, spec.freshness_every)
        for found in tabs.values():
            tab = view_tab(found)
            if due(tab.cells.get(FRESHNESS_CELL, EMPTY), now, spec.freshness_every, failure=True):
                requests.append(freshness_request(tab.sheet_id, freshness_cell(line, now)))
        return requests


def _list_line(snapshot: TabSnapshot, line: Freshness, now: datetime, every: timedelta) -> list[Request]:
    """The list tab's failure line when the tab has our line and it is due (never a new row)."""
    ours = our_row(snapshot.row_metadata)
    if ours is None:
        return []
    cells = snapshot.rows[ours] if ours < len(snapshot.rows) else []
    top = Top(
        snapshot.sheet_id, ours + 1, ours, snapshot.frozen_rows, grid_cell(cells[0]) if cells else EMPTY
    )
    if not due(top.line, now, every, failure=True):
        return []
    return line_requests(top, freshness_cell(line, now))[:1]  # the cell only: frozen rows as people left them
