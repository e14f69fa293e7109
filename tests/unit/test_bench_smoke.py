"""`make bench` at tiny sizes: the counts each benchmark reports (never its timings), so it cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main
from bench.planner import planner_figures, run_plan, scenarios
from bench.report import Figure, broken
from bench.service_harness import running_service
from bench.sync_runs import sync_figures
from bench.webhook_figures import ack_figures, latency_figures, percentile


def by_name(figures: list[Figure], suffix: str) -> Figure:
    """The one figure whose name ends with `suffix`."""
    [found] = [f for f in figures if f.name.endswith(suffix)]
    return found


def test_sync_runs_report_the_request_budgets(tmp_path: Path) -> None:
    figures = sync_figures(30, tmp_path)
    assert [f.name for f in figures] == [
        "first sync, 30 cards",
        "no-op resync, 30 cards",
        "resync, 10% changed (3 cards)",
    ]
    assert [(f.trello, f.sheets_reads, f.sheets_writes) for f in figures] == [(1, 1, 1), (1, 1, 0), (1, 1, 1)]
    assert all(f.kind == "budget" and f.met for f in figures)


def test_planner_inputs_plan_what_the_scenario_says() -> None:
    inputs = scenarios(200)
    first = run_plan(inputs["first sync"]).summary()
    resync = run_plan(inputs["resync, 10% changed"]).summary()
    assert (first["rows_added"], first["cells_changed"]) == (200, 0)
    assert (resync["rows_added"], resync["rows_removed"], resync["cells_changed"]) == (0, 0, 20)


def test_planner_figures_name_the_plan_and_keep_timing_informative() -> None:
    figures = planner_figures(100, repeat=1)
    assert by_name(figures, "first sync, 100 cards: planned").measured == "+100 rows, 0 cells"
    assert by_name(figures, "10% changed, 100 cards: planned").measured == "+0 rows, 10 cells"
    assert {f.kind for f in figures if f.name.endswith("CPU")} == {"target"}
    assert not broken(figures)


def test_service_figures_count_acks_moves_and_writes() -> None:
    with running_service(10) as service:
        moves = latency_figures(service, 2)
        acks = ack_figures(service, 20)
    assert by_name(moves, "shown in the sheet").measured == "2"
    writes = by_name(moves, "Sheets writes").sheets_writes
    assert writes is not None and 1 <= writes <= 2
    assert by_name(acks, "accepted (200)").measured == "20"
    burst = by_name(acks, "API calls the burst caused")
    assert burst.sheets_writes == 0  # the bodies name a card that did not change: runs find nothing
    assert burst.trello is not None and burst.trello >= 1  # ...but the burst did ask for a run
    assert not broken(moves + acks)


def test_a_missed_budget_fails_the_run_and_a_slow_target_does_not() -> None:
    slow = Figure("s", "slow", "2 s", "≤ 1 s", met=False, kind="target")
    over = Figure("s", "writes", "2", "1", met=False, kind="budget")
    assert broken([slow, over]) == [over]


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert (percentile(samples, 50), percentile(samples, 95), percentile(samples, 99)) == (50.0, 95.0, 99.0)
    assert percentile([3.0], 99) == 3.0


def test_quick_run_without_the_service_prints_the_table_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--quick", "--no-service"]) == 0
    out = capsys.readouterr().out
    assert "first sync, 50 cards" in out
    assert "plan() resync, 10% changed, 500 cards: CPU" in out
    assert "Service" not in out
