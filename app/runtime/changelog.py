"""The Changes tab inside a run: pending change-log rows -> requests for the run's one batchUpdate."""

from __future__ import annotations

import secrets
from typing import Any

from app.config.models import Pair
from app.core.changes import OptionNames
from app.core.changes_tab import changes_requests
from app.store.store import PendingChange, Store
from connectors.sheets.client import TabSnapshot

# Rows per run: a long backlog (changes_tab just enabled) drains over a few runs, each one request.
CHANGES_PER_RUN = 1000


def also_read(spec: Pair) -> list[str]:
    """Tabs the run's single read should peek at besides the synced tab."""
    return [spec.changes_tab] if spec.changes_tab is not None else []


def pending_changes(store: Store, spec: Pair) -> list[PendingChange]:
    """The pair's change-log rows not yet in its Changes tab (none when the pair has no Changes tab)."""
    if spec.changes_tab is None:
        return []
    return store.unwritten_changes(spec.name, CHANGES_PER_RUN)


def changes_tab_requests(
    spec: Pair, snapshot: TabSnapshot, pending: list[PendingChange], names: OptionNames
) -> list[dict[str, Any]]:
    """Requests adding the Changes tab when missing and appending the pending rows to it."""
    if spec.changes_tab is None:
        return []
    existing = snapshot.others.get(spec.changes_tab)
    return changes_requests(
        [names.named(change) for _, change in pending],
        title=spec.changes_tab,
        timezone=spec.timezone,
        sheet_id=None if existing is None else existing.sheet_id,
        # Random, not derived from the title: a renamed old Changes tab keeps its id, and the batch would
        # fail on the clash for good. 31 bits make a clash with the spreadsheet's few tabs negligible.
        new_id=secrets.randbelow(0x7FFFFFFE) + 1,
        has_header=existing is not None and bool(existing.rows),
    )
