"""`boardsheet demo` in a subprocess: the service fills the sheet, follows teammates' edits, stops cleanly."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from app.cli.demo import emulator_link, write_config
from app.config.models import load_config
from app.errors import BoardsheetError
from app.runtime.shared_pause import PAUSE_POLL
from connectors.emulators.seeding import Seeded
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from tests.support.procs import BOARDSHEET, Proc
from tests.support.waiting import wait_until

POLL_SECONDS = 60.0


def _text(cell: dict[str, Any]) -> str:
    return str(cell.get("formattedValue") or cell.get("userEnteredValue", {}).get("stringValue") or "")


def _titles(sheets: SheetsConnector, spreadsheet_id: str, tab: str) -> list[str]:
    rows = sheets.read_tab(spreadsheet_id, tab).rows
    if not rows:
        return []
    # The header is row 2, under the demo's freshness line.
    top = next((i for i, row in enumerate(rows[:3]) if "Title" in [_text(c) for c in row]), None)
    if top is None:
        return []
    column = [_text(c) for c in rows[top]].index("Title")
    return [_text(row[column]) for row in rows[top + 1 :] if len(row) > column]


def _idea_card(sheets: SheetsConnector, spreadsheet_id: str, idea: str) -> str | None:
    """The card id the Ideas tab's row of `idea` shows (a teammate may have renamed or moved it since)."""
    rows = sheets.read_tab(spreadsheet_id, "Ideas").rows
    if not rows:
        return None
    header = [_text(c) for c in rows[0]]
    for row in rows[1:]:
        cells = [_text(c) for c in row] + [""] * len(header)
        if cells[header.index("Idea")].startswith(idea) and cells[header.index("List")]:
            return cells[header.index("Card ID")] or None
    return None


def _poll(check: Any, what: str) -> Any:
    """Wait for the demo's sheet: it is read once a second, as a person watching it would."""
    return wait_until(check, what, timeout=POLL_SECONDS, every=1.0)


def test_demo_syncs_the_board_and_follows_teammates() -> None:
    proc = Proc("demo", "--interval", "0.5", "--duration", "120")
    try:
        sheets_url = proc.wait_for(r"^Trello API: \S+  Sheets API: (\S+)").group(1)
        spreadsheet_id, tab = proc.wait_for(r"^Board: \w+  Spreadsheet: (\S+)  Tab: (\w+)").groups()
        status_url = proc.wait_for(r"^Status page: (\S+)").group(1)
        proc.wait_for(
            r"^Demo running \(alice and bob edit a card every 0\.5 s, dana edits the sheet every 1\.5 s"
        )
        sheets = SheetsConnector(emulator_credentials(), api_url=sheets_url)

        titles = _poll(lambda: (t := _titles(sheets, spreadsheet_id, tab)) and len(t) >= 40 and t, "40 rows")
        assert "Spring launch teaser" in titles or "Spring launch teaser (edited)" in titles
        # The stakeholder's sheet view shows the month grid: its tab, its freshness line, card links that
        # open the board (rich-text runs), coloured titles and day rows of a set height.
        view_url = f"{sheets_url}/view/{spreadsheet_id}"
        page = _poll(
            lambda: (
                (r := requests.get(view_url, timeout=10)).ok and "<h2>Calendar view</h2>" in r.text and r.text
            ),
            "the month grid in the sheet view",
        )
        grid = page[page.index("<h2>Calendar view</h2>") :]
        assert "Synced from Trello board «Social content calendar»" in grid
        assert "/c/" in grid and '<a href="http://127.0.0.1:' in grid  # links to the Trello emulator's cards
        assert '<span style="color:rgb(' in grid and "height:" in grid

        _the_chief_ticks_approved(sheets_url, sheets, spreadsheet_id, tab)

        renamed = proc.wait_for(r"^(alice|bob) renamed “.*” to “(.*)”$", timeout=POLL_SECONDS).group(2)
        _poll(lambda: renamed in _titles(sheets, spreadsheet_id, tab), f"the renamed card {renamed!r}")

        # The committee's idea, typed in the Ideas tab, becomes a card: the row shows its id and list, and
        # the Calendar tab shows the card (under its name, or as a teammate renamed it since).
        idea = proc.wait_for(
            r"^cora@example\.com \(the committee\) added the idea “(.*)” to the Ideas tab$",
            timeout=POLL_SECONDS,
        ).group(1)
        card_id = _poll(lambda: _idea_card(sheets, spreadsheet_id, idea), f"a card for the idea {idea!r}")
        _poll(
            lambda: any(t.startswith(idea) for t in _titles(sheets, spreadsheet_id, tab)),
            f"the idea {idea!r} on the {tab} tab",
        )
        assert sum(t.startswith(idea) for t in _titles(sheets, spreadsheet_id, tab)) == 1, card_id

        # The operator's commands reach the running demo from its directory, without curl or a token.
        directory = proc.wait_for(r"^Operate it from another terminal: cd (\S+) && boardsheet status").group(
            1
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDSHEET_", "TRELLO_"))}
        cli = subprocess.run(
            [BOARDSHEET, "status", "--json"], cwd=directory, env=env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)["pairs"][0]["name"] == "social-calendar"
        # ... and so do the commands that read the board and the sheet, and the calendar feed's URL.
        planned = subprocess.run(
            [BOARDSHEET, "plan", "--json"], cwd=directory, env=env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        assert planned.returncode == 0, planned.stderr
        assert json.loads(planned.stdout)[0]["pair"] == "social-calendar"
        feed_url = subprocess.run(
            [BOARDSHEET, "calendar-url", "social-calendar"], cwd=directory, env=env, capture_output=True,
            text=True, timeout=60, check=True,
        ).stdout.strip()  # fmt: skip
        assert feed_url.startswith(status_url + "calendar/social-calendar.ics?token=")
        feed = _poll(
            lambda: (r := requests.get(feed_url, timeout=10)).ok and "BEGIN:VEVENT" in r.text, "feed"
        )
        assert feed is True
        paused = subprocess.run(
            [BOARDSHEET, "pause", "social-calendar", "-r", "demo"], cwd=directory, env=env,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert paused.returncode == 0, paused.stderr
        _poll(lambda: requests.get(status_url + "status", timeout=10).json()["pairs"][0]["paused"], "paused")
        subprocess.run(
            [BOARDSHEET, "resume", "social-calendar"], cwd=directory, env=env, check=True, timeout=60
        )
        # The service follows the shared flag within its pause poll.
        _poll(
            lambda: not requests.get(status_url + "status", timeout=10).json()["pairs"][0]["paused"],
            "resumed",
        )

        status = requests.get(status_url + "status", timeout=10).json()
        assert status["healthy"] is True
        assert status["webhooks"]["error"] is None
        (pair,) = status["pairs"]
        assert pair["name"] == "social-calendar"
        # The status page's board and sheet links open the demo's own pages, not trello.com or Google.
        board_page = proc.wait_for(r"^The board: (\S+)").group(1)
        sheet_page = proc.wait_for(r"^The sheet \(as stakeholders see it[^)]*\): (\S+)").group(1)
        assert (pair["board"]["url"], pair["spreadsheet"]["url"]) == (board_page, sheet_page)
        assert requests.get(board_page, timeout=10).ok and requests.get(sheet_page, timeout=10).ok
        assert f'href="{board_page}"' in requests.get(status_url, timeout=10).text
        assert pair["last_webhook"] is not None  # the teammates' edits arrived as webhooks
        # Teammates in Trello, and dana's edits under her name as Drive's last modifier tells it (or "the
        # sheet" when unknown; accepted, or kept out with the reason); the service's own writes of her
        # edits (as Ops Team) are echoes, never logged twice.
        sheet_side = ("the sheet", "Trello —", "~dana@example.com (approximate)", "dana@example.com")
        sheet_side += (
            "the Ideas tab",
            "~cora@example.com (approximate)",
            "cora@example.com",
        )  # the committee
        people = {c["who"] for c in status["changes"] if not c["who"].startswith(sheet_side)}
        # "boardsheet" itself logs the cards waiting for the chief's approval (the demo's Approved column).
        strangers = people - {"Alice Martin", "Bob Durand", "boardsheet"}
        assert not strangers, [str(c) for c in status["changes"] if c["who"] in strangers]
        assert status["changes"]
        _approve_a_mass_archive(proc, directory, env, status_url)  # by Ops Team, approved by this user
        assert proc.stop(signal.SIGINT) == 0, proc.output()
        assert proc.lines[-1] == "Demo stopped."
    finally:
        proc.kill()


def _the_chief_ticks_approved(
    sheets_url: str, sheets: SheetsConnector, spreadsheet_id: str, tab: str
) -> None:
    """The editor-in-chief, as herself, ticks a card's Approved box (the README promises she may): the demo
    shared the spreadsheet with her in Drive, and the column's protected range names her."""
    rows = sheets.read_tab(spreadsheet_id, tab).rows
    top = next(i for i, row in enumerate(rows[:3]) if "Approved" in [_text(c) for c in row])
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[_text(c) for c in rows[top]].index("Approved")]
    cell = f"{tab}!{column}{top + 3}"  # the second card's box
    answer = requests.put(
        f"{sheets_url}/v4/spreadsheets/{spreadsheet_id}/values/{cell}",
        params={"valueInputOption": "USER_ENTERED"},
        headers={"Authorization": "Bearer user:chief@example.com"},
        json={"range": cell, "values": [["TRUE"]]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def _unedited(title: str) -> str:
    """A title without the " (edited)" the demo's teammates add and remove."""
    return title.removesuffix(" (edited)")


def _approve_a_mass_archive(proc: Proc, directory: str, env: dict[str, str], status_url: str) -> None:
    """Someone archives more cards than `max_deletes` allows: the demo's service holds the plan,
    `boardsheet approve` (no curl, no token) lets it apply, and the change log names who approved which rows.
    """
    trello_url, sheets_url = proc.wait_for(r"^Trello API: (\S+)  Sheets API: (\S+)").groups()
    board, spreadsheet_id, tab = proc.wait_for(r"^Board: (\w+)  Spreadsheet: (\S+)  Tab: (\w+)").groups()
    lines = Path(directory, ".env").read_text().splitlines()
    dotenv = dict(line.split("=", 1) for line in lines if "=" in line)
    auth = {"key": dotenv["TRELLO_API_KEY"], "token": dotenv["TRELLO_TOKEN"]}
    # Paused while archiving: on a loaded machine the PUTs outlast the debounce, and runs seeing a
    # few archives each (under max_deletes) would apply them without holding anything.
    admin = partial(subprocess.run, cwd=directory, env=env, check=True, timeout=60, capture_output=True)
    admin([BOARDSHEET, "pause", "social-calendar", "-r", "archiving"])
    # /status says paused as soon as the flag is stored; the service's coordinator follows it within its
    # pause poll, and only then are runs held back.
    time.sleep(PAUSE_POLL + 3)
    # Cards that have a row: a card the committee's idea made a moment ago may have none yet, and archiving
    # it deletes nothing. More than the demo's max_deletes (25% of the rows, rounded up), with room for
    # rows the teammates' new cards add meanwhile.
    shown = {_unedited(t) for t in _titles(SheetsConnector(emulator_credentials(), api_url=sheets_url),
                                           spreadsheet_id, tab)}  # fmt: skip
    board_cards = requests.get(f"{trello_url}/1/boards/{board}/cards", params=auth, timeout=10).json()
    on_sheet = [card for card in board_cards if _unedited(card["name"]) in shown]
    cards = on_sheet[: math.ceil(len(shown) * 0.25) + 3]
    for card in cards:
        answer = requests.put(
            f"{trello_url}/1/cards/{card['id']}", params={**auth, "closed": "true"}, timeout=10
        )
        assert answer.ok, answer.text
    admin([BOARDSHEET, "resume", "social-calendar"])

    def held() -> list[dict[str, Any]]:
        plans: list[dict[str, Any]] = requests.get(status_url + "status", timeout=10).json()["pairs"][0][
            "held_plans"
        ]
        return plans

    [plan] = _poll(held, "the held plan")
    # The rows show the titles as last synced; teammates may have added or removed " (edited)" since.
    assert len(plan["rows"]) == len(cards)
    archived = {_unedited(card["name"]) for card in cards}
    assert {_unedited(row["title"]) for row in plan["rows"]} <= archived
    approved = subprocess.run(
        [BOARDSHEET, "approve", str(plan["id"])], cwd=directory, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    assert f"plan {plan['id']} of pair social-calendar approved by" in approved.stdout

    def removed() -> list[dict[str, Any]]:
        changes = requests.get(status_url + "status", timeout=10).json()["changes"]
        ours = f"held plan {plan['id']}"
        return [c for c in changes if c["field"] == "row removed" and ours in (c["before"] or "")]

    logged = _poll(removed, "the approved deletions in the change log")
    assert {c["who"] for c in logged} == {approved.stdout.split(" approved by ", 1)[1].split(":", 1)[0]}
    assert held() == []


def test_emulator_links_map_trellos_and_googles_pages_to_the_emulators() -> None:
    link = partial(emulator_link, "http://127.0.0.1:1", "http://127.0.0.1:2")
    assert link("https://trello.com/b/Zuoymehh") == "http://127.0.0.1:1/b/Zuoymehh"
    assert link("https://docs.google.com/spreadsheets/d/1a-B_c/edit") == "http://127.0.0.1:2/view/1a-B_c"
    assert link("https://example.org/x") == "https://example.org/x"


def test_demo_without_teammates_stops_after_its_duration() -> None:
    proc = Proc("demo", "--no-teammates", "--duration", "3")
    try:
        assert proc.popen.wait(120) == 0
        proc.wait_for(r"^Demo stopped\.$")
        text = proc.output()
        assert "Demo running (no teammates)" in text
        for label in ("Status page: http://127.0.0.1:", "The sheet", "/view/", "The board", "/b/"):
            assert label in text
        assert " renamed " not in text and " moved " not in text
    finally:
        proc.kill()


def test_write_config_fills_the_seeded_ids(tmp_path: Path) -> None:
    seeded = Seeded(
        board_id="6b06e0dd0000000000100003",
        short_link="7iwmM8O8",
        board_url="http://127.0.0.1:1/b/7iwmM8O8",
        spreadsheet_id="1QbwxMrzb1-Xvr_hLRV",
        tab="Calendar",
        sheet_url="http://127.0.0.1:2/view/1QbwxMrzb1-Xvr_hLRV",
    )
    path = write_config(tmp_path, seeded)
    assert "$env" not in path.read_text(encoding="utf-8")
    pair = load_config(path, env={}).pairs[0]
    assert pair.trello.board == "7iwmM8O8"
    assert pair.sheet.spreadsheet == "1QbwxMrzb1-Xvr_hLRV"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"][0]["sheet"]["tab"] == "Calendar"


def test_write_config_without_the_template_says_where_to_run(tmp_path: Path) -> None:
    seeded = Seeded("b", "s", "u", "x", "Calendar", "v")
    with pytest.raises(BoardsheetError, match="source checkout"):
        write_config(tmp_path, seeded, template=tmp_path / "missing.yaml")
