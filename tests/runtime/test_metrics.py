"""Metrics live on their own registry and render in the Prometheus text format."""

from __future__ import annotations

from prometheus_client import REGISTRY

from app.runtime.metrics import CONTENT_TYPE, Metrics


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_two_instances_do_not_collide_and_leave_the_global_registry_alone() -> None:
    first, second = Metrics(), Metrics()
    first.webhook("accepted")
    assert value(first, "boardsheet_webhooks_total", outcome="accepted") == 1
    assert value(second, "boardsheet_webhooks_total", outcome="accepted") is None
    assert REGISTRY.get_sample_value("boardsheet_webhooks_total", {"outcome": "accepted"}) is None


def test_every_metric_counts_what_it_is_given() -> None:
    m = Metrics()
    m.run("social", "ok", 0.3)
    m.run("social", "error", 2.0)
    m.api_request("sheets", 503)
    m.changed("social", added=2, updated=1, cells=7)
    m.lag("social", 1.2)
    m.trust_event("social", "removed")
    m.trust_event("social", "removed")
    assert value(m, "boardsheet_runs_total", pair="social", outcome="error") == 1
    assert value(m, "boardsheet_run_duration_seconds_count", pair="social") == 2
    assert value(m, "boardsheet_run_duration_seconds_bucket", pair="social", le="0.5") == 1
    assert value(m, "boardsheet_api_requests_total", service="sheets", status="503") == 1
    assert value(m, "boardsheet_rows_changed_total", pair="social", kind="added") == 2
    assert value(m, "boardsheet_rows_changed_total", pair="social", kind="deleted") is None
    assert value(m, "boardsheet_cells_changed_total", pair="social") == 7
    assert value(m, "boardsheet_webhook_to_sheet_seconds_bucket", pair="social", le="1.5") == 1
    assert value(m, "boardsheet_trust_events_total", pair="social", kind="removed") == 2
    assert value(m, "boardsheet_trust_events_total", pair="social", kind="widened") is None


def test_render_is_the_text_exposition() -> None:
    m = Metrics()
    m.webhook("duplicate")
    text = m.render().decode()
    assert 'boardsheet_webhooks_total{outcome="duplicate"} 1.0' in text
    assert "# TYPE boardsheet_run_duration_seconds histogram" in text
    assert CONTENT_TYPE.startswith("text/plain")
