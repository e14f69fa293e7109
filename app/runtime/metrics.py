"""Prometheus metrics on a dedicated registry, so tests and several apps in one process never collide.

The service builds one `Metrics` and hands it to the webhook router, the coordinators and whatever counts
API requests; `/metrics` answers `metrics.render()` with `CONTENT_TYPE`.
"""

from __future__ import annotations

import platform

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Runs fetch two APIs and write once: from tens of milliseconds to a minute of retries.
RUN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0)
# Webhook-to-sheet lag is the debounce (1 s) plus one run; the target p95 is 2 s.
LAG_BUCKETS = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0, 300.0)


class Metrics:
    """Every boardsheet metric, registered on its own `CollectorRegistry`."""

    def __init__(self, registry: CollectorRegistry | None = None, version: str = "") -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        # boardsheet_build_info{version="...",python="..."} 1: which build answers, for dashboards.
        self.build = Info("boardsheet_build", "The running boardsheet's version.", registry=r)
        self.build.info({"version": version, "python": platform.python_version()})
        self.webhooks = Counter(
            "boardsheet_webhooks", "Trello webhook deliveries by outcome.", ["outcome"], registry=r
        )
        # Drive push messages and instant-mode hints are their own metric: they are not Trello deliveries,
        # and a sum over boardsheet_webhooks_total's outcomes must count what Trello sent, nothing else.
        self.edit_signals = Counter(
            "boardsheet_edit_signals",
            "Sheet edit signals (Drive push messages, instant-mode hints) by source and outcome.",
            ["source", "outcome"],
            registry=r,
        )
        self.runs = Counter(
            "boardsheet_runs", "Reconcile runs by pair and outcome.", ["pair", "outcome"], registry=r
        )
        self.run_duration = Histogram(
            "boardsheet_run_duration_seconds",
            "Duration of one run.",
            ["pair"],
            buckets=RUN_BUCKETS,
            registry=r,
        )
        self.api_requests = Counter(
            "boardsheet_api_requests",
            "Requests sent to Trello and Google by status.",
            ["service", "status"],
            registry=r,
        )
        self.rows_changed = Counter(
            "boardsheet_rows_changed", "Sheet rows added, updated or deleted.", ["pair", "kind"], registry=r
        )
        self.cells_changed = Counter("boardsheet_cells_changed", "Sheet cells written.", ["pair"], registry=r)
        self.webhook_lag = Histogram(
            "boardsheet_webhook_to_sheet_seconds",
            "Delay from an accepted webhook to the end of the run that wrote its change.",
            ["pair"],
            buckets=LAG_BUCKETS,
            registry=r,
        )
        # One counter for every "trust no one" event: a protection of ours removed or widened, unexpected
        # access, a link shared with anyone, an owner change. Each one needs a person to look.
        self.trust_events = Counter(
            "boardsheet_trust_events",
            "Trust-no-one events (a protection removed or widened, unexpected access, owner change) by kind.",
            ["pair", "kind"],
            registry=r,
        )

        # Timer runs this process skipped because another process had just synced the pair: a replica that
        # only skips looks idle in its runs and its log, and this says why (app/core/synced_elsewhere.py).
        self.runs_skipped = Counter(
            "boardsheet_runs_skipped",
            "Timer runs skipped because another process had just synced the pair.",
            ["pair"],
            registry=r,
        )

        # The process's run cap (BOARDSHEET_MAX_CONCURRENT_RUNS): runs holding a slot, runs waiting for one.
        self.runs_in_progress = Gauge(
            "boardsheet_runs_in_progress", "Runs going on in this process now.", registry=r
        )
        self.runs_waiting_slot = Gauge(
            "boardsheet_runs_waiting_slot",
            "Runs due but waiting for one of the process's run slots.",
            registry=r,
        )

    def webhook(self, outcome: str) -> None:
        """Count one Trello delivery (accepted, duplicate, unknown_board, ignored, bad_signature, ...)."""
        self.webhooks.labels(outcome=outcome).inc()

    def edit_signal(self, source: str, outcome: str) -> None:
        """Count one sheet edit signal: `source` drive or hint, `outcome` accepted, sync, bad_token, ..."""
        self.edit_signals.labels(source=source, outcome=outcome).inc()

    def run(self, pair: str, outcome: str, seconds: float) -> None:
        """Count one run of `pair` with its outcome (ok, noop, held, refused, failed) and duration."""
        self.runs.labels(pair=pair, outcome=outcome).inc()
        self.run_duration.labels(pair=pair).observe(max(seconds, 0.0))

    def api_request(self, service: str, status: int | str) -> None:
        """Count one request to `service` ("trello" or "sheets") answered with `status`."""
        self.api_requests.labels(service=service, status=str(status)).inc()

    def changed(
        self, pair: str, *, added: int = 0, updated: int = 0, deleted: int = 0, cells: int = 0
    ) -> None:
        """Count the rows and cells one run changed in `pair`'s sheet."""
        for kind, count in (("added", added), ("updated", updated), ("deleted", deleted)):
            if count:
                self.rows_changed.labels(pair=pair, kind=kind).inc(count)
        if cells:
            self.cells_changed.labels(pair=pair).inc(cells)

    def lag(self, pair: str, seconds: float) -> None:
        """Record the delay between a webhook for `pair` and the sheet showing its change."""
        self.webhook_lag.labels(pair=pair).observe(max(seconds, 0.0))

    def trust_event(self, pair: str, kind: str) -> None:
        """Count one new "trust no one" event of `kind` (e.g. unexpected_writer) on `pair`'s spreadsheet."""
        self.trust_events.labels(pair=pair, kind=kind).inc()

    def skipped(self, pair: str) -> None:
        """Count one timer run of `pair` skipped as synced by another process just now."""
        self.runs_skipped.labels(pair=pair).inc()

    def slots(self, *, running: int, waiting: int) -> None:
        """Set the run cap's gauges: runs holding a slot and runs waiting for one."""
        self.runs_in_progress.set(running)
        self.runs_waiting_slot.set(waiting)

    def render(self) -> bytes:
        """The text exposition of every metric (serve it with `CONTENT_TYPE`)."""
        return generate_latest(self.registry)
