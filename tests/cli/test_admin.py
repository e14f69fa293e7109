"""The operator's commands against the state store: status, pause [--all], resume, approve; no token."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.core.records import ChangeRecord, PairSources
from app.core.tabs import PairTab
from app.store.store import Store
from tests.support.services import make_config

runner = CliRunner()

CONFIG = """
pairs:
  - name: alpha
    trello: {board: 5f1c0ffee0ddba11cafe0001}
    sheet: {spreadsheet: sheet1, tab: Calendar}
    columns: [{header: Title, field: name}]
  - name: beta
    trello: {board: 5f1c0ffee0ddba11cafe0002}
    sheet: {spreadsheet: sheet2, tab: Calendar}
    columns: [{header: Title, field: name}]
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Store]:
    """A config file and the store the commands use; no Trello or Google credentials at all."""
    for name in ("TRELLO_API_KEY", "TRELLO_TOKEN", "BOARDSHEET_CONFIG", "BOARDSHEET_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'state.db'}"
    monkeypatch.setenv("BOARDSHEET_DATABASE_URL", url)
    config = tmp_path / "ops.yaml"
    config.write_text(CONFIG)
    assert [p.name for p in make_config().pairs] == ["alpha", "beta"]
    return config, Store(url)


def test_pause_with_a_reason_then_resume(setup: tuple[Path, Store]) -> None:
    config, store = setup
    paused = runner.invoke(app, ["pause", "beta", "--reason", "sheet migration", "-c", str(config)])
    assert paused.exit_code == 0, paused.output
    assert f"`boardsheet resume beta -c {config}`" in paused.output  # the hint repeats -c FILE
    flags = store.flags("beta")
    assert flags.paused and flags.reason == "sheet migration" and "@" in str(flags.paused_by)
    status = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    beta = status["pairs"][1]
    assert beta["state"] == "paused" and beta["paused_reason"] == "sheet migration"
    resumed = runner.invoke(app, ["resume", "beta", "-c", str(config)])
    assert resumed.exit_code == 0 and not store.flags("beta").paused


def test_pause_all_is_the_kill_switch(setup: tuple[Path, Store]) -> None:
    config, store = setup
    result = runner.invoke(app, ["pause", "--all", "-r", "incident 42", "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert store.flags("alpha").paused and store.flags("beta").paused
    assert f"`boardsheet resume --all -c {config}`" in result.output  # the undo it suggests
    assert runner.invoke(app, ["pause", "-c", str(config)]).exit_code == 2  # neither a pair nor --all
    undone = runner.invoke(app, ["resume", "--all", "-c", str(config)])
    assert undone.exit_code == 0, undone.output
    assert not store.flags("alpha").paused and not store.flags("beta").paused
    assert "alpha: resumed by" in undone.output and "beta: resumed by" in undone.output
    assert runner.invoke(app, ["resume", "-c", str(config)]).exit_code == 2
    assert runner.invoke(app, ["resume", "alpha", "--all", "-c", str(config)]).exit_code == 2


def test_unknown_pair_suggests_the_nearest(setup: tuple[Path, Store]) -> None:
    config, _ = setup
    result = runner.invoke(app, ["pause", "bta", "-c", str(config)])
    assert result.exit_code == 2
    assert "did you mean 'beta'" in result.output and "alpha, beta" in result.output


def test_approve_once_then_already_approved_and_unknown_ids(setup: tuple[Path, Store]) -> None:
    config, store = setup
    rows = [{"key": "c1", "title": "Launch", "list": "Review", "reason": "archived", "free": {"Notes": "ok"}}]
    plan_id = store.hold_plan("alpha", {"deletes": [{"key": "c1"}], "rows": rows}, "would delete 1 row")
    table = runner.invoke(app, ["status", "-c", str(config)])
    assert table.exit_code == 0
    assert f"held plan {plan_id} of alpha" in table.output and "Launch" in table.output
    assert f"boardsheet approve {plan_id} -c {config}" in table.output

    first = runner.invoke(app, ["approve", str(plan_id), "-c", str(config)])
    assert first.exit_code == 0, first.output
    assert f"plan {plan_id} of pair alpha approved by" in first.output
    # What happens next: the service (which polls the approval) acts; `sync` only when none runs.
    assert f"within seconds (no service running: `boardsheet sync alpha -c {config}`)" in first.output
    assert store.held_plan(plan_id).approved_at is not None
    again = runner.invoke(app, ["approve", str(plan_id), "-c", str(config)])
    assert again.exit_code == 0 and "was already approved" in again.output
    for missing in ("999", str(2**40)):
        unknown = runner.invoke(app, ["approve", missing, "-c", str(config)])
        assert unknown.exit_code == 2 and f"no held plan has the id {missing}" in unknown.output


def test_status_json_is_the_status_document_and_tables_are_not_cut_when_piped(
    setup: tuple[Path, Store],
) -> None:
    config, store = setup
    reason = ("a reason long enough to be cut at eighty columns " * 3).strip()
    store.set_paused("alpha", True, by="ops", reason=reason)
    doc = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    assert {"version", "pairs", "changes", "generated_at"} <= set(doc)
    table = runner.invoke(app, ["status", "-c", str(config)]).output
    assert reason in table  # on one line: nothing folded, nothing cut with "…"
    assert "…" not in table


def test_status_json_tells_the_services_mode_from_the_shared_environment(
    setup: tuple[Path, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _ = setup
    monkeypatch.setenv("BOARDSHEET_PUBLIC_URL", "https://boardsheet.example.org")
    doc = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    assert doc["polling_only"] is False and doc["mode"] == "webhooks and timer"
    monkeypatch.delenv("BOARDSHEET_PUBLIC_URL")
    doc = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    assert doc["polling_only"] is True


def test_status_names_list_field_options_as_the_last_run_kept_them(setup: tuple[Path, Store]) -> None:
    # The CLI reads no board: the option texts come from the store, where the pair's runs keep them.
    config, store = setup
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    store.record_changes(
        [ChangeRecord(at, "alpha", "b1", "a1", "updateCustomFieldItem", "Alice", "c1", "Launch",
                      "custom:Channel", "o1", "o2")]
    )  # fmt: skip
    store.note_sources(
        "alpha", PairSources("Board", "https://b", "Sheet", "https://s", {"o1": "Organic", "o2": "Paid"})
    )
    doc = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    entry = doc["changes"][0]
    assert (entry["field"], entry["before"], entry["after"]) == ("Channel", "Organic", "Paid")


def test_status_names_how_each_pairs_sheet_edits_are_noticed(setup: tuple[Path, Store]) -> None:
    config, store = setup
    store.note_sheet_edit("alpha", "chief@example.org", "B2")  # a verified hint arrived for alpha
    doc = json.loads(runner.invoke(app, ["status", "--json", "-c", str(config)]).output)
    modes = {p["name"]: p["sheet_edits"]["mode"] for p in doc["pairs"]}
    assert modes["alpha"] == "instant"
    assert set(modes.values()) - {"instant"} <= {"reconcile_only"}
    table = runner.invoke(app, ["status", "-c", str(config)]).output
    assert "instant" in table


def test_status_shows_the_tab_a_rename_is_followed_to(setup: tuple[Path, Store]) -> None:
    config, store = setup
    store.note_tab("alpha", PairTab("sheet1", "Calendar", 7, "Calendar (old)"))  # a run followed a rename
    table = " ".join(runner.invoke(app, ["status", "-c", str(config)]).output.split())
    assert "Calendar (old) (YAML: Calendar)" in table
    assert "tab 'Calendar' is now named 'Calendar (old)'; the pair follows it by its sheet id 7" in table
    assert table.count("follows it by its sheet id") == 1  # beta's tab was not renamed
