"""`boardsheet sharing PAIR [--apply] [--json]` over the emulator's Drive v3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from tests.support.sheets_emulator import SheetsEmulator, running_sheets

pytestmark = pytest.mark.http  # the Sheets emulator over loopback

runner = CliRunner()
YAML = """\
roles:
  chief: [chief@example.org]
  stakeholders: [domain:example.org]
pairs:
  - name: social
    trello: {{board: AbCdEfGh}}
    sheet: {{spreadsheet: {spreadsheet}, tab: Calendar, share: {share}}}
    columns:
      - {{header: Title, field: name, two_way: true, editable_by: [chief]}}
"""


def env(emu: SheetsEmulator, tmp_path: Path, spreadsheet: str, share: str = "true") -> dict[str, str]:
    config = tmp_path / "boardsheet.yaml"
    config.write_text(YAML.format(spreadsheet=spreadsheet, share=share))
    return {
        "BOARDSHEET_CONFIG": str(config),
        "BOARDSHEET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "TRELLO_API_KEY": "emulator-key",
        "TRELLO_TOKEN": "token-ops",
        "GOOGLE_SHEETS_API_URL": emu.url,
        "GOOGLE_APPLICATION_CREDENTIALS": "",
    }


def test_sharing_shows_what_is_missing_then_apply_grants_it(tmp_path: Path) -> None:
    with running_sheets() as emu:
        spreadsheet = emu.create("Calendar", ["Calendar"])
        emu.share(spreadsheet, "mallory@evil.example", "writer")
        variables = env(emu, tmp_path, spreadsheet)
        shown = runner.invoke(app, ["sharing", "social"], env=variables)
        assert shown.exit_code == 0, shown.output
        assert "missing: user chief@example.org as writer" in shown.output
        assert "missing: domain example.org as reader" in shown.output
        assert "not granted by the roles: remove user mallory@evil.example (writer)" in shown.output
        applied = runner.invoke(app, ["sharing", "social", "--apply", "--json"], env=variables)
        assert applied.exit_code == 0, applied.output
        document = json.loads(applied.output)
        assert document["to_grant"] == [] and sorted(document["applied"]["granted"]) == [
            "domain example.org as reader",
            "user chief@example.org as writer",
        ]
        assert [e["kind"] for e in document["events"]] == ["unexpected_writer"]
        assert document["applied"]["removed"] == [] and document["mode"] == "report"
        status = runner.invoke(app, ["status"], env=variables)
        assert status.exit_code == 0, status.output
        assert "trust no one (social): user mallory@evil.example has writer access" in " ".join(
            status.output.split()
        )


def test_sharing_of_a_pair_that_does_not_share_is_bad_usage(tmp_path: Path) -> None:
    with running_sheets() as emu:
        spreadsheet = emu.create("Calendar", ["Calendar"])
        result = runner.invoke(app, ["sharing", "social"], env=env(emu, tmp_path, spreadsheet, share="false"))
        assert result.exit_code == 2 and "sharing is off" in result.output
        unknown = runner.invoke(app, ["sharing", "nope"], env=env(emu, tmp_path, spreadsheet))
        assert unknown.exit_code == 2


def test_under_enforce_apply_holds_the_removal_approve_lets_the_next_audit_remove_it(tmp_path: Path) -> None:
    with running_sheets() as emu:
        spreadsheet = emu.create("Calendar", ["Calendar"])
        emu.share(spreadsheet, "mallory@evil.example", "writer")
        variables = env(emu, tmp_path, spreadsheet, share="true, sharing: enforce")
        held = json.loads(
            runner.invoke(app, ["sharing", "social", "--apply", "--json"], env=variables).output
        )
        plan_id = held["applied"]["held_plan"]
        assert plan_id is not None and held["applied"]["removed"] == []
        config = variables["BOARDSHEET_CONFIG"]
        shown = runner.invoke(app, ["status", "-c", config], env=variables).output
        assert f"boardsheet approve {plan_id} -c {config}" in " ".join(shown.split())  # the user's -c again
        approved = runner.invoke(app, ["approve", str(plan_id)], env=variables)
        assert approved.exit_code == 0, approved.output
        assert "1 sharing removal to apply at the service's next audit" in " ".join(approved.output.split())
        done = json.loads(
            runner.invoke(app, ["sharing", "social", "--apply", "--json"], env=variables).output
        )
        assert done["applied"]["removed"] == ["remove user mallory@evil.example (writer)"]
        assert done["not_granted"] == [] and done["events"] == []
