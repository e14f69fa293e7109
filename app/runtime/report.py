"""What a coordinator says after each run: one log line, health transitions once, and the run metrics."""

from __future__ import annotations

import logging
from typing import Any

from app.core.schedule import Health
from app.runtime.metrics import Metrics

__all__ = ["report_run"]

log = logging.getLogger("app.runtime.coordinator")


def report_run(
    h: Health,
    outcome: str,
    seconds: float,
    reasons: tuple[str, ...],
    failures_before: int,
    result: Any = None,
    webhook_since: float | None = None,
    metrics: Metrics | None = None,
) -> None:
    """Log the run of pair `h.name` that ended in `outcome`, and count it when there are metrics."""
    extra = {"pair": h.name, "outcome": outcome, "seconds": round(seconds, 3), "reasons": ",".join(reasons)}
    log.info("run finished", extra=extra)
    _log_transition(failures_before, h)
    if metrics is None:
        return
    metrics.run(h.name, outcome, seconds)
    _count_changes(metrics, h.name, result)
    if outcome != "error" and webhook_since is not None and h.last_run_finished is not None:
        metrics.lag(h.name, h.last_run_finished - webhook_since)


def _count_changes(metrics: Metrics, pair: str, result: Any) -> None:
    """Count the rows and cells an `app.runtime.sync.RunResult` reports (other results count nothing)."""
    counts = {attr: getattr(result, attr, 0) for attr in ("rows_added", "rows_removed", "cells_changed")}
    if all(isinstance(v, int) for v in counts.values()):
        added, deleted, cells = counts["rows_added"], counts["rows_removed"], counts["cells_changed"]
        metrics.changed(pair, added=added, deleted=deleted, cells=cells)


def _log_transition(failures_before: int, h: Health) -> None:
    """Log once when the pair turns unhealthy and once when it recovers, not on every failed run."""
    if not h.healthy and failures_before == 0:
        log.warning("pair %s is unhealthy: %s", h.name, h.last_error, extra={"pair": h.name})
    elif h.healthy and failures_before > 0:
        log.warning(
            "pair %s recovered after %d failed run(s)", h.name, failures_before, extra={"pair": h.name}
        )
