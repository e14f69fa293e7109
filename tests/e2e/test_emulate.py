"""`boardsheet emulate` in a subprocess: serves both emulators, seeds through the real APIs, stops."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector
from tests.support.procs import Proc

DEMO_LISTS = ["Ideas", "Drafting", "Review", "Scheduled", "Published"]


@pytest.fixture(scope="module")
def seeded_demo() -> Iterator[Proc]:
    """`emulate --seed demo` on free ports, shared by the tests that only read it."""
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0", "--seed", "demo")
    try:
        proc.wait_for(r"^Serving until Ctrl-C")
        yield proc
    finally:
        proc.kill()


def _urls(proc: Proc) -> tuple[str, str]:
    trello = proc.wait_for(r"^Trello emulator: (http://127\.0\.0\.1:\d+)").group(1)
    sheets = proc.wait_for(r"^Sheets emulator: (http://127\.0\.0\.1:\d+)").group(1)
    return trello, sheets


def test_seeded_demo_board_has_the_calendar(seeded_demo: Proc) -> None:
    trello_url, _ = _urls(seeded_demo)
    board_id = seeded_demo.wait_for(r"^Board: ([0-9a-f]{24}) ").group(1)
    board = TrelloConnector("emulator-key", "token-ops", api_url=trello_url).board_snapshot(board_id)

    assert [x["name"] for x in board["lists"]] == DEMO_LISTS
    # Trello also gives every new board six unnamed colour labels.
    assert {x["name"] for x in board["labels"] if x["name"]} == {
        "Instagram",
        "LinkedIn",
        "TikTok",
        "Newsletter",
        "X",
    }
    channel = next(f for f in board["customFields"] if f["name"] == "Channel")
    assert channel["type"] == "list"
    assert [o["value"]["text"] for o in channel["options"]] == ["Organic", "Paid", "Partner"]
    assert {m["username"] for m in board["members"]} == {"ops", "alice", "bob"}
    cards = board["cards"]
    assert 35 <= len(cards) <= 45
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    dues = [datetime.fromisoformat(c["due"].replace("Z", "+00:00")) for c in cards]
    assert all(today - timedelta(days=1) <= due <= today + timedelta(days=43) for due in dues)
    assert max(dues) - min(dues) >= timedelta(days=35)  # spread over the six weeks, not bunched
    assert {x["id"] for x in board["lists"]} == {c["idList"] for c in cards}  # every list has cards
    assert all(c["idLabels"] and c["idMembers"] for c in cards)
    assert all(any(i["idCustomField"] == channel["id"] for i in c["customFieldItems"]) for c in cards)


def test_seeded_cards_are_created_by_their_members(seeded_demo: Proc) -> None:
    trello_url, _ = _urls(seeded_demo)
    board_id = seeded_demo.wait_for(r"^Board: ([0-9a-f]{24}) ").group(1)
    actions = requests.get(
        f"{trello_url}/1/boards/{board_id}/actions",
        params={"key": "emulator-key", "token": "token-ops", "filter": "createCard", "limit": "1000"},
        timeout=10,
    ).json()
    assert {a["memberCreator"]["username"] for a in actions} == {"ops", "alice", "bob"}


def test_seeded_spreadsheet_and_pages(seeded_demo: Proc) -> None:
    trello_url, sheets_url = _urls(seeded_demo)
    found = seeded_demo.wait_for(r"^Spreadsheet: (\S+) \(tab (\w+)\) (http://\S+)")
    spreadsheet_id, tab, sheet_page = found.groups()
    sheets = SheetsConnector(emulator_credentials(), api_url=sheets_url)
    assert tab in [t["title"] for t in sheets.tabs(spreadsheet_id)]
    assert sheet_page == f"{sheets_url}/view/{spreadsheet_id}"
    board_page = seeded_demo.wait_for(r"^Board: .* (http://\S+/b/\w+)$").group(1)
    assert board_page.startswith(trello_url)
    for page in (sheet_page, board_page):
        answer = requests.get(page, timeout=10)
        assert answer.status_code == 200
        assert "text/html" in answer.headers["content-type"]
    assert "Spring launch teaser" in requests.get(board_page, timeout=10).text


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_unseeded_emulators_serve_the_apis_until_stopped(sig: signal.Signals) -> None:
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0")
    try:
        trello_url, sheets_url = _urls(proc)
        proc.wait_for(r"^Serving until Ctrl-C")
        me = TrelloConnector("emulator-key", "token-alice", api_url=trello_url).me()
        assert me["username"] == "alice"
        sheets = SheetsConnector(emulator_credentials(), api_url=sheets_url)
        assert sheets.tabs(sheets.create_spreadsheet("Scratch", ["One"]))[0]["title"] == "One"

        assert proc.stop(sig) == 0
        assert proc.lines[-1] == "Stopped."
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{trello_url}/1/members/me", timeout=5)
    finally:
        proc.kill()


def test_unreadable_seed_file_is_bad_usage(tmp_path: Path) -> None:
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0", "--seed", str(tmp_path / "none.yaml"))
    try:
        assert proc.popen.wait(60) == 2
        assert "cannot read the seed file" in proc.output()
    finally:
        proc.kill()


def test_fault_flags_make_both_emulators_fail_as_asked() -> None:
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0", "--error-rate", "1")
    try:
        trello_url, sheets_url = _urls(proc)
        proc.wait_for(r"^Serving until Ctrl-C")
        trello = requests.get(f"{trello_url}/1/members/me?key=emulator-key&token=token-ops", timeout=10)
        sheets = requests.get(
            f"{sheets_url}/v4/spreadsheets/x", headers={"Authorization": "Bearer t"}, timeout=10
        )
        assert (trello.status_code, sheets.status_code) == (503, 503)
        assert sheets.json()["error"]["status"] == "UNAVAILABLE"
        log = requests.get(f"{trello_url}/_emulator/requests", timeout=10).json()
        assert [entry["status"] for entry in log] == [503]  # the request log itself is never faulted
    finally:
        proc.kill()


def test_limits_set_at_start_and_faults_healed_while_running() -> None:
    args = ["--error-rate", "1", "--sheets-quota", "0", "--no-trello-limits", "--push-delay", "0.5"]
    args += ["--lost-answer-rate", "0.25", "--lost-answer", "drop"]
    proc = Proc("emulate", "--trello-port", "0", "--sheets-port", "0", *args)
    try:
        trello_url, sheets_url = _urls(proc)
        proc.wait_for(r"^Serving until Ctrl-C")
        assert requests.get(f"{sheets_url}/_emulator/limits", timeout=10).json() == {"quota_per_minute": None}
        assert requests.get(f"{trello_url}/_emulator/limits", timeout=10).json()["rate_limits"] is False
        assert requests.get(f"{sheets_url}/_emulator/push", timeout=10).json() == {"delay": 0.5}
        for url in (trello_url, sheets_url):  # a soak turns the faults off and watches the service converge
            faults = requests.get(f"{url}/_emulator/faults", timeout=10).json()
            assert (faults["error_rate"], faults["lost_answer_rate"], faults["lost_answer"]) == (
                1,
                0.25,
                "drop",
            )
            assert requests.put(f"{url}/_emulator/faults", json={"error_rate": 0}, timeout=10).ok
        trello = requests.get(f"{trello_url}/1/members/me?key=emulator-key&token=token-ops", timeout=10)
        assert trello.status_code == 200
    finally:
        proc.kill()
