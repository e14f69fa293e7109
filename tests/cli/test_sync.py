"""`boardsheet plan` and `boardsheet sync` through the emulators: tables, one-line summaries, plain errors."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.store.store import Store
from tests.support.world import ALICE, World, cli_env, config_text, world

pytestmark = pytest.mark.http  # both emulators over loopback

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOARDSHEET_ADMIN_TOKEN", "BOARDSHEET_PUBLIC_URL", "TRELLO_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_plan_shows_the_changes_and_writes_nothing_then_sync_applies_them(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        env = cli_env(w, tmp_path)
        w.clear_logs()
        shown = runner.invoke(app, ["plan"], env=env)
        assert shown.exit_code == 0, shown.output
        assert "3 to add" in shown.output and "Post 00001" in shown.output
        assert w.calls()["sheets_write"] == 0
        done = runner.invoke(app, ["sync", "calendar"], env=env)
        assert done.exit_code == 0, done.output
        assert "calendar: 3 added" in done.output
        again = runner.invoke(app, ["sync"], env=env)
        assert "calendar: in sync (3 rows)" in again.output
        assert "nothing to change" in runner.invoke(app, ["plan"], env=env).output


def test_a_refused_token_says_which_credential_to_check_and_never_shows_it(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        result = runner.invoke(app, ["sync"], env=cli_env(w, tmp_path, token="token-revoked-1234"))
        assert result.exit_code == 2  # refused credentials are bad configuration, like missing ones
        assert "calendar: failed: Trello refused the credentials" in result.output
        assert "refused or failed" not in result.output
        assert "check TRELLO_API_KEY and TRELLO_TOKEN" in result.output
        assert "token-revoked-1234" not in result.output
        assert "Traceback" not in result.output


def test_a_missing_tab_offers_create_tab(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path, tab="Schedule")
        missing = runner.invoke(app, ["sync"], env=env)
        assert missing.exit_code == 1
        assert "--create-tab" in missing.output
        created = runner.invoke(app, ["sync", "--create-tab"], env=env)
        assert created.exit_code == 0, created.output
        assert len(w.values("Schedule")) == 3


def test_bad_usage_and_bad_config_exit_2_with_every_problem(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        env = cli_env(w, tmp_path)
        unknown = runner.invoke(app, ["sync", "calender"], env=env)
        assert unknown.exit_code == 2 and "did you mean 'calendar'" in unknown.output
        Path(env["BOARDSHEET_CONFIG"]).write_text("pairs:\n  - name: x\n    colums: []\n")
        bad = runner.invoke(app, ["plan"], env=env)
        assert bad.exit_code == 2
        assert "boardsheet.yaml:3" in bad.output and "did you mean 'columns'" in bad.output


def test_a_filter_naming_a_list_the_board_lacks_is_a_config_problem_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        config = Path(env["BOARDSHEET_CONFIG"])
        config.write_text(config.read_text().replace("trello: {board: ", "trello: {lists: [Reviw], board: "))
        w.clear_logs()
        result = runner.invoke(app, ["sync"], env=env)
        assert result.exit_code == 2
        assert "boardsheet.yaml:4" in result.output and "did you mean 'Review'" in result.output
        assert w.calls()["sheets_write"] == 0


def test_plan_reads_cards_by_title_with_dates_and_says_why_cards_are_left_out(tmp_path: Path) -> None:
    import json

    with world(tmp_path, cards=4) as w:
        env = cli_env(w, tmp_path)
        with w.trello_client() as trello:
            card = w.ids["Post 00003"]
            assert trello.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
        shown = runner.invoke(app, ["plan"], env=env)
        assert shown.exit_code == 0, shown.output
        assert "create header" in shown.output and "restore" not in shown.output
        assert "Post 00000" in shown.output and w.ids["Post 00000"] not in shown.output  # title, not id
        assert "calendar: cards left out: 1 archived" in shown.output
        with_ids = runner.invoke(app, ["plan", "--ids"], env=env)
        assert w.ids["Post 00000"] in with_ids.output
        doc = json.loads(runner.invoke(app, ["plan", "--json"], env=env).output)
        [calendar] = doc
        assert calendar["left_out"] == {"archived": 1} and calendar["summary"]["rows_added"] == 3
        added = [c for c in calendar["changes"] if c["change"] == "add row"]
        assert {c["card"] for c in added} == {"Post 00000", "Post 00001", "Post 00002"}
        assert all(len(c["after"]) in (10, 16) and c["after"][4] == "-" for c in added)  # yyyy-mm-dd[ hh:mm]
        assert not (tmp_path / "cli.db").exists()  # plan writes nothing, not even a database file

        runner.invoke(app, ["sync"], env=env)
        quiet = runner.invoke(app, ["plan"], env=env)
        assert quiet.output.splitlines()[0] == "calendar: nothing to change, the tab is in sync (3 rows)"
        assert "┏" not in quiet.output  # no empty table


def test_sync_json_and_a_held_plan_names_how_to_approve_it_with_the_users_options(tmp_path: Path) -> None:
    import json

    with world(tmp_path, cards=8) as w:
        env = cli_env(w, tmp_path)
        config = env.pop("BOARDSHEET_CONFIG")
        first = json.loads(runner.invoke(app, ["sync", "-c", config, "--json"], env=env).output)
        assert first[0]["outcome"] == "ok" and first[0]["rows_added"] == 8
        with w.trello_client() as trello:
            for i in range(5):
                card = w.ids[f"Post {i:05d}"]
                assert trello.put(f"/1/cards/{card}", params={"closed": "true"}).status_code == 200
        held = runner.invoke(app, ["sync", "-c", config], env=env)
        assert held.exit_code == 1
        assert f"approve it with `boardsheet approve 1 -c {config}`" in held.output
        paused = runner.invoke(app, ["pause", "calendar", "-c", config], env=env)
        assert paused.exit_code == 0, paused.output
        skipped = runner.invoke(app, ["sync", "-c", config], env=env)
        assert skipped.exit_code == 1 and "paused by" in skipped.output
        assert f"`boardsheet resume calendar -c {config}`" in skipped.output


def test_a_missing_tab_hint_repeats_the_config_option(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        env = cli_env(w, tmp_path, tab="Schedule")
        config = env.pop("BOARDSHEET_CONFIG")
        missing = runner.invoke(app, ["sync", "-c", config], env=env)
        assert missing.exit_code == 1
        assert f"run `boardsheet sync calendar -c {config} --create-tab`" in missing.output


def test_a_missing_tab_with_a_near_miss_names_it_and_never_suggests_create_tab(tmp_path: Path) -> None:
    with world(tmp_path, cards=1) as w:
        env = cli_env(w, tmp_path, tab="Calendar (2026)")
        config = env.pop("BOARDSHEET_CONFIG")
        missing = runner.invoke(app, ["sync", "-c", config], env=env)
        assert missing.exit_code == 1
        output = " ".join(missing.output.split())
        assert "a tab named 'Calendar', a near miss" in output
        assert "set sheet.tab to 'Calendar'" in output
        assert "--create-tab" not in output  # it would be refused while 'Calendar' exists


def test_an_unreachable_host_fails_fast_naming_the_service_and_host(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import re
    import socket

    from app.runtime.wiring import INTERACTIVE_RETRY_SECONDS

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with world(tmp_path, cards=1) as w:
        env = cli_env(w, tmp_path) | {"GOOGLE_SHEETS_API_URL": dead}
        caplog.set_level(logging.WARNING, logger="connectors.retrying")
        result = runner.invoke(app, ["sync"], env=env)
        assert result.exit_code == 1
        assert f"calendar: failed: Sheets API at {dead}: connection refused" in result.output
        retries = [r.getMessage() for r in caplog.records]
        assert retries and all(m.startswith(f"Sheets API at {dead}: attempt") for m in retries)
        # The interactive budget, not the service's minute: the waits it planned add up to seconds.
        waited = sum(float(re.search(r"retrying in ([\d.]+) s", m).group(1)) for m in retries)  # type: ignore[union-attr]
        assert waited <= INTERACTIVE_RETRY_SECONDS


def test_a_change_made_without_a_webhook_is_logged_with_its_member_by_boardsheet_sync(tmp_path: Path) -> None:
    with world(tmp_path, cards=3) as w:
        env = cli_env(w, tmp_path)
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        with w.trello_client(ALICE) as alice:  # no webhook is registered: nothing is delivered
            card = w.ids["Post 00001"]
            assert alice.put(f"/1/cards/{card}", params={"idList": w.ids["Published"]}).status_code == 200
        done = runner.invoke(app, ["sync"], env=env)
        assert done.exit_code == 0, done.output
        store = Store(env["BOARDSHEET_DATABASE_URL"])
        try:
            (logged,) = store.recent_changes("calendar")
        finally:
            store.close()
        assert (logged.member, logged.card_id, logged.field, logged.after) == (
            "Alice Martin",
            card,
            "list",
            "Published",
        )


def test_plan_counts_the_protected_ranges_a_sync_would_put_back_and_sync_reports_the_removal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        config = Path(env["BOARDSHEET_CONFIG"])
        config.write_text("roles:\n  editor_in_chief: [chief@example.org]\n" + config.read_text())
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        sheet = httpx.get(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}",
            params={"fields": "sheets(protectedRanges(protectedRangeId,description))"},
            headers={"Authorization": "Bearer test"},
        ).json()["sheets"][0]
        ours = [p for p in sheet["protectedRanges"] if p["description"].startswith("boardsheet")]
        w.batch_update([{"deleteProtectedRange": {"protectedRangeId": ours[0]["protectedRangeId"]}}])
        shown = runner.invoke(app, ["plan"], env=env)
        assert shown.exit_code == 0, shown.output
        assert "nothing to change" not in shown.output
        assert "calendar: protected ranges: 1 to add" in shown.output
        document = json.loads(runner.invoke(app, ["plan", "--json"], env=env).stdout)
        assert document[0]["protected_ranges"] == {"add": 1}
        synced = runner.invoke(app, ["sync"], env=env)
        assert "calendar: 0 added, 0 removed, 0 cells changed, protected ranges: 1 added" in synced.output
        # Each `sync` is its own process: what the first one protected is known from the state store, so
        # the second reports the removal as a trust event, as a running service would.
        with Store(env["BOARDSHEET_DATABASE_URL"]) as store:
            [event] = [c for c in store.recent_changes("calendar") if c.field == "protection"]
        assert event.before.startswith(f"{ours[0]['description']} at column ")
        assert event.after == "removed; restored"
        trust = [r.getMessage() for r in caplog.records if r.name == "app.runtime.trust"]
        assert len(trust) == 1 and f"protection {ours[0]['description']!r} removed" in trust[0]


def test_plan_shows_what_the_views_and_the_freshness_line_would_get(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        config = Path(env["BOARDSHEET_CONFIG"])
        views = "    views: [{type: month, tab: Calendar view, months: 1}]\n"
        config.write_text(config_text(w.board_id, w.spreadsheet_id, extra=views))
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        shown = runner.invoke(app, ["plan"], env=env)
        # In sync, but the line is fresh: nothing to write at all.
        assert shown.output.splitlines()[0] == "calendar: nothing to change, the tab is in sync (2 rows)"
        with w.trello_client() as trello:
            assert (
                trello.put(f"/1/cards/{w.ids['Post 00001']}", params={"name": "Renamed"}).status_code == 200
            )
        shown = runner.invoke(app, ["plan"], env=env)
        assert "update views" in shown.output and "freshness line" in shown.output, shown.output


TWO_WAY = """
      - {header: Date, field: due, two_way: true}
      - {header: Title, field: name}
      - {header: Status, field: list, two_way: true}
"""


def _edit_status(w: World, editor: str, value: str) -> str:
    """`editor` (a Google user the spreadsheet is shared with) types `value` into the first card's Status."""
    sheet = f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}"
    drive = f"{w.sheets_url}/drive/v3/files/{w.spreadsheet_id}/permissions"
    body = {"type": "user", "role": "writer", "emailAddress": editor}
    assert httpx.post(drive, json=body, headers={"Authorization": "Bearer test"}).status_code == 200
    card_id = w.values()[1][-1]
    answer = httpx.put(
        f"{sheet}/values/Calendar!C2",
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": [[value]]},
        headers={"Authorization": f"Bearer user:{editor}"},
    )
    assert answer.status_code == 200, answer.text
    return str(card_id)


@pytest.mark.parametrize("hinted", [False, True])
def test_sync_names_who_edited_the_sheet_as_the_service_does(tmp_path: Path, hinted: bool) -> None:
    # Issue 10 §2/§4: a sheet-side change is attributed to the sheet and the best-known person, also when
    # `boardsheet sync` runs it: a verified instant hint's editor, else Drive's last modifier (approximate).
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        Path(env["BOARDSHEET_CONFIG"]).write_text(config_text(w.board_id, w.spreadsheet_id, TWO_WAY))
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        card_id = _edit_status(w, "dana@example.org", "Review")
        store = Store(env["BOARDSHEET_DATABASE_URL"])
        if hinted:
            store.note_sheet_edit("calendar", "dana@example.org", "C2")  # what POST /webhooks/sheets keeps
        done = runner.invoke(app, ["sync"], env=env)
        assert done.exit_code == 0, done.output
        assert "1 card written to Trello" in done.output
        logged = {(c.card_id, c.field, c.member) for c in store.recent_changes("calendar")}
        who = "dana@example.org" if hinted else "~dana@example.org (approximate)"
        assert (card_id, "list", who) in logged, logged


def test_plan_lists_what_goes_to_trello_and_what_is_kept_out_and_sync_says_it_plainly(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        Path(env["BOARDSHEET_CONFIG"]).write_text(config_text(w.board_id, w.spreadsheet_id, TWO_WAY))
        assert runner.invoke(app, ["sync"], env=env).exit_code == 0
        _edit_status(w, "dana@example.org", "Review")  # row 2: accepted
        answer = httpx.put(
            f"{w.sheets_url}/v4/spreadsheets/{w.spreadsheet_id}/values/Calendar!A3:C3",
            params={"valueInputOption": "USER_ENTERED"},
            json={"values": [["next tuesday", None, "Nowhere"]]},
            headers={"Authorization": "Bearer user:dana@example.org"},
        )
        assert answer.status_code == 200, answer.text
        shown = runner.invoke(app, ["plan"], env={**env, "COLUMNS": "250"})
        assert shown.exit_code == 0, shown.output
        assert "1 card to write to Trello" in shown.output
        lines = _plan_json(env)
        assert ("write to Trello", "Status", "Ideas", "Review") in lines
        refused = "not written to Trello: the board has no open list 'Nowhere'"
        assert (refused, "Status", "Nowhere", "Drafting") in lines
        assert any(c.startswith("not written to Trello: 'next tuesday' is not a date") for c, *_ in lines)
        done = runner.invoke(app, ["sync"], env=env)
        said = "2 sheet values not written to Trello (the cells' notes say why), 1 card written to Trello"
        assert said in done.output, done.output
        assert "owned cells" not in done.output  # no one-way cell was edited


def _plan_json(env: dict[str, str]) -> list[tuple[str, str, str, str]]:
    shown = runner.invoke(app, ["plan", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    (pair,) = json.loads(shown.output)
    return [(c["change"], c["column"], c["before"], c["after"]) for c in pair["changes"]]


def test_plan_of_a_paused_pair_says_a_sync_would_not_run_it(tmp_path: Path) -> None:
    with world(tmp_path, cards=2) as w:
        env = cli_env(w, tmp_path)
        paused = runner.invoke(app, ["pause", "calendar", "--reason", "launch week"], env=env)
        assert paused.exit_code == 0, paused.output
        shown = runner.invoke(app, ["plan"], env=env)
        assert shown.exit_code == 0, shown.output
        assert "2 to add" in shown.output  # what resuming would do, still shown
        assert "paused by" in shown.output and "(launch week): a sync would not run this plan" in shown.output
        document = json.loads(runner.invoke(app, ["plan", "--json"], env=env).stdout)[0]
        assert "a sync would not run this plan" in document["paused"]
        assert runner.invoke(app, ["resume", "calendar"], env=env).exit_code == 0
        assert json.loads(runner.invoke(app, ["plan", "--json"], env=env).stdout)[0]["paused"] is None
