"""What the store keeps of a run: its record and new base; its sources and feed when they changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.core.calendar_feed import FeedDocument
from app.core.plan import Plan
from app.core.records import Outcome, PairSources, RunRecord
from app.errors import BoardsheetError
from app.runtime.run_counts import RunCounts
from app.store.store import Store
from connectors.errors import ConnectorError

__all__ = ["LastSaved", "plain", "save_run"]


def save_run(
    store: Store,
    pair: str,
    started: datetime,
    clock: Callable[[], datetime],
    counts: RunCounts,
    outcome: Outcome,
    message: str,
    *,
    plan: Plan | None = None,
    written: tuple[int, ...] = (),
) -> RunRecord:
    """Record the run (finished at `clock()`), its new base (if any) and the change rows written, at once."""
    summary = plan.summary() if plan is not None else {}
    result = RunRecord(
        pair=pair,
        outcome=outcome,
        message=message,
        started_at=started,
        finished_at=clock(),
        rows_added=summary.get("rows_added", 0),
        rows_removed=summary.get("rows_removed", 0),
        cells_changed=summary.get("cells_changed", 0),
        trello_requests=counts.trello,
        sheets_reads=counts.reads,
        sheets_writes=counts.writes,
    )
    base = plan.base if plan is not None else None
    store.save_run(pair, base, result, written_change_ids=written)
    return result


def plain(exc: BaseException) -> str:
    """An error in plain words for the run history, the status and the sheet's failure line: a connector's
    or boardsheet's own message says what happened and where (and never holds a secret); anything else,
    unexpected, keeps its class name to be found."""
    if isinstance(exc, ConnectorError | BoardsheetError) and str(exc):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class LastSaved:
    """The sources and feed document each pair last saved, so the store is written only when they change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sources: dict[str, PairSources] = {}
        self._feeds: dict[str, FeedDocument] = {}

    def sources(self, pair: str, sources: PairSources | None) -> None:
        """Keep the board's and spreadsheet's names and links in the store when they changed."""
        if sources is not None and self._sources.get(pair) != sources:
            self.store.note_sources(pair, sources)
            self._sources[pair] = sources

    def feed(self, pair: str, feed: FeedDocument | None) -> None:
        """Keep the calendar feed's document when it changed (the feed never calls Trello itself)."""
        if feed is None or self._feeds.get(pair) == feed:
            return
        self.store.save_feed(pair, feed)
        self._feeds[pair] = feed
