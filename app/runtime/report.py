"""What a coordinator says after each run: one log line, health transitions once, and the run metrics."""

from __future__ import annotations

import logging

from app.core.records import Outcome, RunRecord
from app.core.schedule import Health
from app.runtime.metrics import Metrics

__all__ = ["report_run"]

log = logging.getLogger("app.runtime.coordinator")

SYNCED: tuple[Outcome, ...] = ("ok", "noop")


def report_run(
    h: Health,
    outcome: Outcome,
    seconds: float,
    reasons: tuple[str, ...],
    failures_before: int,
    result: RunRecord | None = None,
    webhook_since: float | None = None,
    metrics: Metrics | None = None,
) -> None:
    """Log the run of pair `h.name` that ended in `outcome`, and count it when there are metrics.

    Held, refused and failed runs log at WARNING: each needs a person (approve, fix, or look).
    """
    extra: dict[str, object] = {
        "pair": h.name,
        "outcome": outcome,
        "seconds": round(seconds, 3),
        "reasons": ",".join(reasons),
    }
    if result is not None:
        extra |= {
            "rows_added": result.rows_added,
            "rows_removed": result.rows_removed,
            "cells_changed": result.cells_changed,
            "trello_requests": result.trello_requests,
            "sheets_reads": result.sheets_reads,
            "sheets_writes": result.sheets_writes,
        }
    level = logging.INFO if outcome in SYNCED else logging.WARNING
    detail = result.message if result is not None and result.message else h.last_error or ""
    log.log(level, "run of pair %s: %s%s", h.name, outcome, f": {detail}" if detail else "", extra=extra)
    _log_transition(failures_before, h)
    if metrics is None:
        return
    metrics.run(h.name, outcome, seconds)
    if result is not None:
        metrics.changed(
            h.name, added=result.rows_added, deleted=result.rows_removed, cells=result.cells_changed
        )
    # The sheet caught up with the webhook only when the run ended in sync.
    if outcome in SYNCED and webhook_since is not None and h.last_run_finished is not None:
        metrics.lag(h.name, h.last_run_finished - webhook_since)


def _log_transition(failures_before: int, h: Health) -> None:
    """Log once when the pair turns unhealthy and once when it recovers, not on every failed run."""
    if not h.healthy and failures_before == 0:
        log.warning("pair %s is unhealthy: %s", h.name, h.last_error, extra={"pair": h.name})
    elif h.healthy and failures_before > 0:
        log.warning(
            "pair %s recovered after %d failed run(s)", h.name, failures_before, extra={"pair": h.name}
        )
