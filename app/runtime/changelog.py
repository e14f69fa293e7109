"""The Changes tab inside a run: pending change-log rows -> requests for the run's one batchUpdate."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from app.config.models import Pair
from app.config.policy import policy_of
from app.core.changes import OptionNames
from app.core.changes_tab import changes_requests
from app.core.wording import SheetWords
from app.store.store import PendingChange, Store
from connectors.sheets.tab_snapshot import TabSnapshot

# Rows per run: a long backlog (changes_tab just enabled) drains over a few runs, each one request.
CHANGES_PER_RUN = 1000


class ChangesTabs:
    """Which pairs' Changes tabs this process found missing, so their runs stop asking for them.

    The combined read of the synced tab and a missing Changes tab answers 400 (the connector then reads
    the tab alone); asked again on every run, that 400 would recur until a run writes the tab. Once
    found missing, the Changes tab is left out of the read until the pair's next write attempt (which
    adds it): at most one 400 per process while the tab is missing.
    """

    def __init__(self) -> None:
        self._missing: set[str] = set()
        self._lock = threading.Lock()

    def also_read(self, spec: Pair) -> list[str]:
        """Tabs the run's single read should peek at besides the synced tab."""
        with self._lock:
            if spec.changes_tab is None or spec.name in self._missing:
                return []
        return [spec.changes_tab]

    def learn(self, spec: Pair, snapshot: TabSnapshot) -> None:
        """Note whether the read found the pair's Changes tab."""
        if spec.changes_tab is not None and spec.changes_tab not in snapshot.others:
            with self._lock:
                self._missing.add(spec.name)

    def forget(self, pair: str) -> None:
        """Look for the pair's Changes tab again (a write adds it, or someone else may have)."""
        with self._lock:
            self._missing.discard(pair)


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
    words = SheetWords.of(policy_of(spec))
    return changes_requests(
        [words.present(names.named(change)) for _, change in pending],
        title=spec.changes_tab,
        timezone=spec.timezone,
        sheet_id=None if existing is None else existing.sheet_id,
        # Random, not derived from the title: a renamed old Changes tab keeps its id, and the batch would
        # fail on the clash for good. 31 bits make a clash with the spreadsheet's few tabs negligible.
        new_id=secrets.randbelow(0x7FFFFFFE) + 1,
        has_header=existing is not None and bool(existing.rows),
    )


def changes_tab_id(
    spec: Pair, snapshot: TabSnapshot, requests: list[dict[str, Any]]
) -> tuple[str, int] | None:
    """The pair's Changes tab and its sheet id, as read or as the batch's `requests` add it; None when the
    pair has none or neither holds it (not read and not added this run: nothing to protect yet)."""
    title = spec.changes_tab
    if title is None:
        return None
    if title in snapshot.others:
        return title, snapshot.others[title].sheet_id
    for request in requests:
        properties = request.get("addSheet", {}).get("properties", {})
        if properties.get("title") == title:
            return title, int(properties["sheetId"])
    return None
